// The ministry's side through the staff console and the citizen's pages (issue 28):
// - a citizen who cannot pass the face check is verified by a 受理员, approved by a 审核员, types
//   the SMS code on the QR page and downloads her certificate;
// - she rates the download 不满意; the 受理员 records 核实, 整改 and 回访, and she sees it and
//   rates the fix; the public 好差评 page counts it;
// - a 管理员 uploads a registry feed that cancels her registration, and her copy's /verify page
//   says 已注销.
// Her registration itself arrives by a feed (初始注册), so no other spec shares her.
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import path from "node:path";
import { expect, expectAccessible, hydrated, registerPerson, test } from "./fixtures";
import { annotate, desktopLogin } from "./face";
import type { Browser, Page } from "@playwright/test";

const ZHOU = { name: "周晓梅", id: "440305198811120054", phone: "13700137199", password: "Zhou@2026xy" };
const REGISTRATION = "粤1442026000321";
const CONSOLE = "http://127.0.0.1:3001";
const ROOT = path.resolve(__dirname, "../..");

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits) of a base32 secret. */
function totp(secret: string, at = Date.now()): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const n = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return n.toString().padStart(6, "0");
}

const secretOf = (uri: string) => new URL(uri).searchParams.get("secret")!;

/** `server staff add` as an operator runs it; the member's initial password and secret. */
function addStaff(username: string, name: string, roles: string): { password: string; secret: string } {
  const out = execFileSync(path.join(ROOT, "target/debug/server"), ["staff", "add", username, "--name", name, "--roles", roles], {
    cwd: ROOT,
    env: process.env,
    encoding: "utf8",
  });
  const password = /初始密码[^:：]*[:：]\s*(\S+)/.exec(out)?.[1];
  const uri = /(otpauth:\/\/totp\/\S+)/.exec(out)?.[1];
  expect(password, out).toBeTruthy();
  return { password: password!, secret: secretOf(uri!) };
}

/** A console page signed in as a new member with `roles`, enrolled (own password, own secret). */
async function member(browser: Browser, username: string, name: string, roles: string): Promise<Page> {
  const { password, secret } = addStaff(username, name, roles);
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(`${CONSOLE}/admin/login`);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByLabel(/动态口令/).fill(totp(secret));
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(`${CONSOLE}/admin/enrol`);
  const own = secretOf((await page.locator("#enrol-uri").textContent())!.trim());
  await page.getByLabel("新密码", { exact: true }).fill(`${username}-Own-2026`);
  await page.getByLabel("再次输入新密码").fill(`${username}-Own-2026`);
  await page.getByLabel(/新添加账户的动态口令/).fill(totp(own));
  await page.getByRole("button", { name: /完成|确认|提交/ }).click();
  await expect(page).toHaveURL(`${CONSOLE}/admin`);
  return page;
}

/** Uploads a change feed in the console (`page`), has a second member (`approver`) approve
 * it, and waits for its report. */
async function uploadFeed(page: Page, approver: Page, name: string, lines: object[]) {
  await page.goto(`${CONSOLE}/admin/registry`);
  await page.getByLabel("变更文件").setInputFiles({
    name,
    mimeType: "application/octet-stream",
    buffer: Buffer.from(lines.map((l) => JSON.stringify(l)).join("\n")),
  });
  await page.getByRole("button", { name: "上传并应用" }).click();
  await expect(page.locator("#done")).toContainText("待另一位审核员批准");
  await approver.goto(`${CONSOLE}/admin/approvals`);
  await approver.getByRole("row").filter({ hasText: name }).getByRole("button", { name: /^批准第/ }).click();
  await expect(approver).toHaveURL(/\/admin\/registry\/jobs\/\d+$/);
  await expect(approver.locator("#progress")).toContainText(/已处理|排队中/);
  await expect(approver.locator("#done")).toContainText("拒绝 0 行", { timeout: 20_000 });
}

test("assisted verification → download; 差评 → 回访; a feed's 注销 reaches the copy's /verify page", async ({
  page,
  browser,
  request,
  pageErrors,
}) => {
  test.setTimeout(180_000);
  const acceptor = await member(browser, "e2e.accept", "受理员甲", "acceptor,admin");
  const reviewer = await member(browser, "e2e.review", "审核员乙", "reviewer");

  // Her registration arrives from the national registry; she registers her account.
  await uploadFeed(acceptor, reviewer, "initial.jsonl", [
    {
      change_id: "E2E-INIT-1",
      kind: "初始注册",
      registration_no: REGISTRATION,
      date: "2026-11-02",
      name: ZHOU.name,
      id_number: ZHOU.id,
      category: "一级注册建造师",
      employer: "华南示范设计院有限公司",
      employer_credit_code: "91440101MA5CQRT837",
      valid_until: "2031-11-01",
      specialties: "市政公用工程",
    },
  ]);
  await registerPerson(request, ZHOU);

  // She cannot pass the face check: the QR page offers the code a 受理员 can have sent.
  await desktopLogin(page, ZHOU.id, ZHOU.password);
  await page.goto("/user/certificates");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("人脸识别认证");
  await hydrated(page);

  // The 受理员 records it; she holds a certificate, so a 审核员 must approve.
  await acceptor.goto(`${CONSOLE}/admin/assisted`);
  await acceptor.getByLabel("本人身份证号").fill(ZHOU.id);
  await acceptor.getByLabel(/本人绑定手机号后四位/).fill(ZHOU.phone.slice(-4));
  await acceptor.getByLabel("视频通话核验身份证件").check();
  await acceptor.getByLabel(/凭证编号/).fill("SL-E2E-0001");
  await acceptor.getByLabel("原因").fill("本人面部受伤,暂无法完成人脸识别");
  await acceptor.getByRole("button", { name: "提交" }).click();
  await expect(acceptor.locator("#done")).toContainText("须由另一位审核员批准");
  await reviewer.goto(`${CONSOLE}/admin/approvals`);
  await reviewer.getByRole("button", { name: /^批准第 \d+ 号$/ }).first().click();
  await expect(reviewer.locator("#done")).toContainText("核验码已发送至本人绑定的手机");

  let code = "";
  await expect(async () => {
    const messages: { text: string }[] = await (await request.get(`/dev/sms-outbox?phone=${ZHOU.phone}`)).json();
    code = /核验码为 (\d{6})/.exec(messages[0]?.text ?? "")?.[1] ?? "";
    expect(code).toMatch(/^\d{6}$/);
  }).toPass();
  await page.getByText("已由工作人员协助核验身份?输入短信核验码").click();
  await expectAccessible(page, "人脸识别认证: the assisted code");
  await page.getByLabel(/协助核验码/).fill(code);
  await page.getByRole("button", { name: "提交核验码" }).click();
  await expect(page).toHaveURL(/\/user\/certificates\/manage$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("电子证照管理");
  await hydrated(page);

  const card = page.getByRole("listitem").filter({ hasText: REGISTRATION });
  await annotate(page, card, "投标资格审查");
  await card.locator("figure").hover();
  const [pdf] = await Promise.all([page.waitForEvent("download"), card.getByRole("link", { name: "PDF下载" }).click()]);
  expect(pdf.suggestedFilename()).toMatch(/^周晓梅_.*\.pdf$/);
  const preview = card.getByRole("img", { name: /证照预览/ });
  const svg = await (await page.request.get(new URL((await preview.getAttribute("src"))!, page.url()).href)).text();
  const verifyCode = /核验码 ([0-9a-f]{32})/.exec(svg)?.[1];
  expect(verifyCode).toBeTruthy();

  // 好差评: she rates the download 不满意, with a reason.
  await page.goto("/user/evaluations");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的办件与评价");
  await hydrated(page);
  await expectAccessible(page, "我的办件与评价");
  const download = page.getByRole("listitem").filter({ hasText: "电子证照加注与下载" }).first();
  await download.getByLabel("不满意", { exact: true }).check();
  await download.getByLabel("等待时间过长").check();
  await download.getByLabel(/意见建议/).fill("下载前等待较久");
  await download.getByRole("button", { name: "提交评价" }).click();
  await expect(page.getByRole("status").filter({ hasText: "感谢您的评价" })).toBeVisible();
  await expect(download).toContainText("待核实");

  // The 受理员 follows it up: 核实, 整改, 回访.
  await acceptor.goto(`${CONSOLE}/admin/orders`);
  for (const [step, note] of [
    ["核实", "经核实为证照渲染排队所致"],
    ["整改", "已增加渲染并发,等待时间恢复正常"],
    ["回访", "电话回访,本人认可整改结果"],
  ]) {
    await acceptor.getByLabel(new RegExp(`号${step}情况$`)).first().fill(note);
    await acceptor.getByRole("button", { name: `记录${step}` }).first().click();
    await expect(acceptor.locator("#done")).toContainText(`已记录${step}`);
  }

  // She sees the 回访 and rates the fix.
  await page.reload();
  await hydrated(page);
  const followed = page.getByRole("listitem").filter({ hasText: "电子证照加注与下载" }).first();
  await expect(followed).toContainText("电话回访,本人认可整改结果");
  await expect(followed).toContainText("已回访,办结");
  await followed.getByRole("group", { name: "对整改结果的评价" }).getByLabel("满意", { exact: true }).check();
  await followed.getByRole("button", { name: "评价整改结果" }).click();
  await expect(followed.locator("dd").filter({ hasText: /^满意$/ })).toBeVisible();

  // The public page counts it, for everyone.
  const stranger = await browser.newContext({ locale: "zh-CN" });
  const other = await stranger.newPage();
  const origin = new URL(page.url()).origin;
  await other.goto(`${origin}/evaluation`);
  await expect(other.getByRole("heading", { level: 1 })).toHaveText("政务服务好差评公示");
  await hydrated(other);
  await expectAccessible(other, "好差评公示");
  await expect(other.getByRole("row").filter({ hasText: "电子证照加注与下载" }).first()).toBeVisible();

  // The registry cancels her registration: the copy's /verify page says so.
  await other.goto(`${origin}/verify/${verifyCode}`);
  await expect(other.getByRole("status").filter({ hasText: "副本真实有效" })).toBeVisible();
  await uploadFeed(acceptor, reviewer, "cancel.jsonl", [
    { change_id: "E2E-CANCEL-1", kind: "注销", registration_no: REGISTRATION, date: "2026-12-05", reason: "本人申请注销" },
  ]);
  await other.reload();
  await expect(other.getByRole("status").filter({ hasText: "证书已注销" })).toBeVisible();
  await expectAccessible(other, "电子证照核验: cancelled");
  // And she is told by SMS.
  await expect(async () => {
    const messages: { text: string }[] = await (await request.get(`/dev/sms-outbox?phone=${ZHOU.phone}`)).json();
    expect(messages[0]?.text ?? "").toContain("注销");
  }).toPass({ timeout: 20_000 });
  await stranger.close();
  void pageErrors;
});

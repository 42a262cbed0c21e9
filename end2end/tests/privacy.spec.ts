// Issue 31: a citizen's rights over their data. 周文博 makes a copy of his certificate, exports
// his information (the page, then the JSON file), asks to close his account, cancels it by
// signing in, asks again, and — his cooling-off ended by the development clock for his account
// alone (/dev/closing/elapse) — cannot sign in any more, while the copy he handed out still
// verifies.
import { test, expect, expectAccessible, hydrated, latestCode, registerPerson } from "./fixtures";
import { annotate, desktopLogin, passFaceCheck } from "./face";
import { readFileSync } from "node:fs";

// The spec's own citizen (registry: 一级注册建造师, no demo account).
const ZHOU = { name: "周文博", id: "320106198803150032", phone: "13700137109", password: "Zhou@2026wb" };

async function askToClose(page: import("@playwright/test").Page, request: import("@playwright/test").APIRequestContext) {
  await page.goto("/user/settings");
  await hydrated(page);
  const section = page.getByRole("region", { name: "注销账户" });
  await expect(section).toContainText("将删除的信息");
  await expect(section).toContainText("已出具的证照副本在有效期内仍可核验");
  await section.getByText("申请注销账户").click();
  const form = section.getByRole("form", { name: "注销账户" });
  await form.getByLabel("本账户绑定的手机号").fill(ZHOU.phone);
  // A second code within the minute: the development aid lifts the 60-second wait.
  expect((await request.post("/dev/sms/resend-now", { form: { phone: ZHOU.phone } })).ok()).toBeTruthy();
  await form.getByRole("button", { name: "获取验证码" }).click();
  await expect(form.getByText(/验证码已发送/)).toBeVisible();
  await form.getByLabel("短信验证码").fill(await latestCode(request, ZHOU.phone));
  await form.getByLabel("当前登录密码").fill(ZHOU.password);
  // Not without the confirmation.
  await form.getByRole("button", { name: "确认注销" }).click();
  await expect(form.getByText("请先勾选确认已了解注销的后果")).toBeVisible();
  await form.getByRole("checkbox").check();
  await expectAccessible(page, "账户设置: 注销账户");
  await form.getByRole("button", { name: "确认注销" }).click();
  await expect(page).toHaveURL(/\/login\?closing=1/);
}

test("导出我的信息, then 注销账户: cancelled by signing in, asked again, and after the cooling-off gone", async ({ page, browser, request }) => {
  await registerPerson(request, ZHOU);
  await passFaceCheck(page, browser, ZHOU.id, ZHOU.password);
  await hydrated(page);
  const card = page.getByRole("listitem").filter({ hasText: "中华人民共和国一级建造师注册证书" });
  await annotate(page, card, "投标使用");
  const preview = card.getByRole("img", { name: /证照预览/ });
  const svg = await (await page.request.get(new URL((await preview.getAttribute("src"))!, page.url()).href)).text();
  const code = /核验码 ([0-9a-f]{32})/.exec(svg)?.[1];
  expect(code).toBeTruthy();

  // 导出我的信息: the page, then the file.
  await page.goto("/user/settings");
  await hydrated(page);
  await page.getByRole("link", { name: "导出我的信息" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("导出我的信息");
  const account = page.getByRole("region", { name: "账户信息" });
  await expect(account).toContainText("320106********0032");
  await expect(page.getByRole("main")).not.toContainText(ZHOU.id);
  await expect(page.getByRole("region", { name: "证照副本(加注)" })).toContainText("投标使用");
  await expect(page.getByRole("region", { name: "与您证件绑定的注册信息" })).toContainText("苏1322016000003");
  await expectAccessible(page, "导出我的信息");
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "下载 JSON 文件" }).click(),
  ]);
  const data = JSON.parse(readFileSync((await file.path())!, "utf8"));
  expect(data.account.name).toBe("周文博");
  expect(data.copies[0].purpose).toBe("投标使用");
  expect(data.security_log.some((e: { label: string }) => e.label === "导出个人信息")).toBeTruthy();

  // 注销账户, then 撤销注销 by signing in within the cooling-off.
  await askToClose(page, request);
  await desktopLogin(page, ZHOU.id, ZHOU.password);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("账户注销中");
  await expectAccessible(page, "账户注销中");
  await page.getByRole("button", { name: "撤销注销" }).click();
  await expect(page.getByRole("status").filter({ hasText: "已撤销注销" })).toBeVisible();
  await page.goto("/user/settings");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("账户设置");

  // Asked again; the cooling-off ends.
  await askToClose(page, request);
  await expect(async () => {
    const r = await request.post("/dev/closing/elapse", { form: { login_id: ZHOU.id } });
    expect(r.status()).toBe(200);
    expect(await r.text()).toBe("1");
  }).toPass();
  const outbox = await (await request.get(`/dev/sms-outbox?phone=${ZHOU.phone}`)).json();
  expect(outbox.some((m: { text: string }) => m.text.includes("完成注销"))).toBeTruthy();

  // He cannot sign in any more.
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("身份证号").fill(ZHOU.id);
  await page.getByLabel("密码", { exact: true }).fill(ZHOU.password);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page.locator(".field-error, .alert").first()).toContainText("错误");
  await expect(page).toHaveURL(/\/login/);

  // The copy he handed out still verifies.
  const stranger = await (await browser.newContext({ locale: "zh-CN", baseURL: test.info().project.use.baseURL })).newPage();
  await stranger.goto(`/verify/${code}`);
  await expect(stranger.getByRole("status").filter({ hasText: "副本真实有效" })).toBeVisible();
});

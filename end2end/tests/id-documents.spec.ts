// Issue 30: a Hong Kong resident registers with a 港澳居民来往内地通行证 (the 证件类型 select),
// signs in with it on the desktop and in the mini-program, passes the face check with the
// permit's number, and downloads a copy whose face and /verify page name the document.
import { test, expect, expectAccessible, hydrated, latestCode } from "./fixtures";
import { annotate, openQr, phone } from "./face";
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";

// 陈家豪 of the demo registry (README): no account until this spec registers one.
const CHEN = { name: "陈家豪", id: "H60123456", phone: "13700137106", password: "Chen@2026x" };
const PERMIT = "港澳居民来往内地通行证";

/** Chooses the permit in a form's 证件类型 select and types its number. */
async function permit(page: Page, number: string) {
  await page.getByLabel("证件类型").selectOption({ label: PERMIT });
  await expect(page.getByLabel("通行证号码")).toBeVisible();
  await page.getByLabel("通行证号码").fill(number);
}

test("a Hong Kong resident: 港澳居民来往内地通行证 from registration to a downloaded copy", async ({ page, browser, request, pageErrors }) => {
  // Registered before (the spec ran on this database already)? Then only the journey after.
  const probe = await request.post("/api/login", {
    headers: { accept: "application/json" },
    form: { kind: "person", id_kind: "hk_macao_permit", login_id: CHEN.id, password: CHEN.password },
    maxRedirects: 0,
  });
  if (probe.status() >= 400) {
    await page.goto("/register");
    await hydrated(page);
    await page.getByLabel("姓名").fill(CHEN.name);
    // The select defaults to 居民身份证; the number's label and rule follow the choice.
    await expect(page.getByLabel("证件类型")).toHaveValue("resident_id");
    await permit(page, "X1234567");
    await expect(page.getByText("字母H(香港)或M(澳门)加8位数字")).toBeVisible();
    // A passport's issuing country is asked only while 护照 is chosen.
    await expect(page.getByLabel("护照签发国家或地区")).toBeHidden();
    await page.getByLabel("手机号").fill(CHEN.phone);
    await page.getByRole("button", { name: "获取验证码" }).click();
    await expect(page.getByText(/验证码已发送至/)).toBeVisible();
    await page.getByLabel("短信验证码").fill(await latestCode(request, CHEN.phone));
    await page.getByLabel("设置密码").fill(CHEN.password);
    await page.getByLabel("确认密码").fill(CHEN.password);
    await page.getByRole("checkbox", { name: /我已阅读并同意/ }).check();
    await page.getByRole("button", { name: "注册", exact: true }).click();
    // The permit's own rule, at its field, and nothing typed is lost.
    await expect(page.getByText("港澳居民来往内地通行证号码应为字母H或M加8位数字")).toBeVisible();
    await expect(page.getByLabel("通行证号码")).toHaveAttribute("aria-invalid", "true");
    await expectAccessible(page, "个人用户注册: a permit number refused");
    // The number's rule is checked before the code is spent: the same code still serves.
    await page.getByLabel("通行证号码").fill(CHEN.id.toLowerCase());
    await page.getByRole("button", { name: "注册", exact: true }).click();
    await expect(page).toHaveURL(/\/login\?registered=person/);
  }

  // Desktop login with the permit.
  await page.goto("/login");
  await hydrated(page);
  await permit(page, CHEN.id);
  await page.getByLabel("密码", { exact: true }).fill(CHEN.password);
  await expectAccessible(page, "登录 with a 港澳居民来往内地通行证");
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page).toHaveURL(/\/user$/);
  await page.goto("/user/settings");
  await expect(page.getByRole("main")).toContainText(`${PERMIT} H*****456`);
  await page.goto("/user");

  // The face check: the mini-program's login takes the permit, the face step asks for it.
  const url = await openQr(page);
  const m = await phone(browser);
  await m.page.goto(url);
  await expect(m.page).toHaveURL(/\/m\/login\?next=/);
  await hydrated(m.page);
  await permit(m.page, CHEN.id);
  await m.page.getByLabel("密码", { exact: true }).fill(CHEN.password);
  await m.page.getByRole("button", { name: "登录" }).click();
  await expect(m.page).toHaveURL(/\/m\/scan\?t=/);
  // The phone's steps (their accessibility is checked by the face-check spec): the face step
  // asks for the permit's number.
  await hydrated(m.page);
  await m.page.getByRole("button", { name: "下一步" }).click();
  await m.page.getByRole("dialog").getByRole("button", { name: "允许" }).click();
  await m.page.getByLabel("本人通行证号码").fill(CHEN.id);
  await m.page.getByRole("button", { name: "开始人脸识别" }).click();
  await expect(m.page.getByRole("heading", { name: "认证成功" })).toBeVisible();
  await m.context.close();
  await expect(page).toHaveURL(/\/user\/certificates\/manage$/);
  await hydrated(page);

  // 加注 and the download; the copy's face names the document.
  const card = page.getByRole("listitem").filter({ hasText: "一级注册建筑师" });
  const preview = card.getByRole("img", { name: /证照预览/ });
  await expect(preview).toBeVisible();
  const svgOf = async () =>
    (await page.request.get(new URL((await preview.getAttribute("src"))!, page.url()).href)).text();
  if (!(await card.getByRole("link", { name: "PDF下载" }).count())) {
    await annotate(page, card, "工程投标");
  }
  await card.locator("figure").hover();
  const [pdfFile] = await Promise.all([page.waitForEvent("download"), card.getByRole("link", { name: "PDF下载" }).click()]);
  expect(pdfFile.suggestedFilename()).toMatch(/^陈家豪_一级注册建筑师_JZ\d{8}[0-9A-F]{10}\.pdf$/);
  expect(readFileSync((await pdfFile.path())!).subarray(0, 5).toString()).toBe("%PDF-");
  const svg = await svgOf();
  expect(svg).toContain(`${PERMIT} H*****456`);
  const code = /核验码 ([0-9a-f]{32})/.exec(svg)?.[1];
  expect(code).toBeTruthy();

  // Anyone checks the copy: the holder's document kind and its GB/T 36903 code type.
  const stranger = await browser.newContext({ locale: "zh-CN" });
  const other = await stranger.newPage();
  await other.goto(new URL(`/verify/${code}`, page.url()).href);
  await expect(other.getByRole("status").filter({ hasText: "副本真实有效" })).toBeVisible();
  await expect(other.getByRole("main")).toContainText(`H*****456 (${PERMIT},代码类型 516)`);
  await expectAccessible(other, "电子证照核验: a permit holder's copy");
  await stranger.close();
  void pageErrors;
});

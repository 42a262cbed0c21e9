// 法人账户 and the trust chain: an enterprise registered in 吴海燕's name stays pending until
// she, signed in with her own personal account (the spec registers it), passes a face check
// and confirms it; an enterprise account never reaches a person's certificates. Needs a fresh
// database (make e2e makes one): the enterprise registers only once.
import { test, expect, expectAccessible, hydrated, latestCode, registerPerson } from "./fixtures";
import type { Page } from "@playwright/test";
import { approveOnPhone, desktopLogin, phone, phoneLoginVia } from "./face";

const CODE = "91420100MA4K7WJ81T";
const ORG = "江城示范建设监理有限公司";
const WU = { name: "吴海燕", id: "440106198302110048", phone: "13700137103", password: "Wu@2026xyz" };

async function enterpriseLogin(page: Page, code: string, password: string) {
  await page.goto("/login?kind=enterprise");
  await hydrated(page);
  await page.getByLabel("统一社会信用代码").fill(code);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page).toHaveURL(/\/user$/);
}

test("an enterprise account is pending until its legal representative confirms it with a face check", async ({ page, browser, request, pageErrors }) => {
  await registerPerson(request, WU);
  await page.goto("/register?kind=enterprise");
  await hydrated(page);
  await page.getByLabel("单位名称").fill(ORG);
  await page.getByLabel("统一社会信用代码").fill(CODE);
  await page.getByLabel("法定代表人姓名").fill(WU.name);
  await page.getByLabel("法定代表人身份证号").fill(WU.id);
  await page.getByLabel("联系手机号").fill("13600136010");
  await page.getByRole("button", { name: "获取验证码" }).click();
  await expect(page.getByText("验证码已发送至 136****6010")).toBeVisible();
  await page.getByLabel("短信验证码").fill(await latestCode(request, "13600136010"));
  await page.getByLabel("设置密码").fill("Ent@2026xx");
  await page.getByLabel("确认密码").fill("Ent@2026xx");
  await page.getByRole("checkbox", { name: /我已阅读并同意/ }).check();
  await page.getByRole("button", { name: "注册", exact: true }).click();
  await expect(page).toHaveURL(/\/login\?registered=enterprise/);
  await expect(page.getByText(/法人账户须由法定代表人/)).toBeVisible();

  // Pending: the enterprise signs in and sees only that it awaits confirmation.
  await enterpriseLogin(page, CODE, "Ent@2026xx");
  await expect(page.getByRole("heading", { name: "法人账户待确认" })).toBeVisible();
  await expectAccessible(page, "a pending enterprise's user center");
  await page.goto("/user/settings");
  await expect(page.getByRole("heading", { name: "法人账户待确认" })).toBeVisible();
  await expect(page.getByText("账户信息")).toHaveCount(0);
  await page.context().clearCookies();

  // 吴海燕, in her own personal account: the confirmation asks for a face check first.
  await desktopLogin(page, WU.id, WU.password);
  await page.getByRole("link", { name: /确认法人账户/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("确认法人账户");
  await expect(page.getByRole("main")).toContainText(ORG);
  await expect(page.getByRole("button", { name: "确认并激活" })).toHaveCount(0);
  await expectAccessible(page, "确认法人账户 before the face check");
  await page.getByRole("link", { name: "去完成人脸识别认证" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("人脸识别认证");
  await hydrated(page);
  const url = await page.locator(".qr-fallback a").getAttribute("href");
  const m = await phone(browser);
  await phoneLoginVia(m.page, url!, WU.id, WU.password);
  await approveOnPhone(m.page, WU.id);
  await m.context.close();

  // Back on the confirmation page by itself; 【确认并激活】.
  await expect(page).toHaveURL(/\/user\/enterprise$/);
  await hydrated(page);
  await expectAccessible(page, "确认法人账户 after the face check");
  await page.getByRole("button", { name: "确认并激活" }).click();
  await expect(page.getByRole("status").filter({ hasText: "已确认" })).toContainText(ORG);
  await page.context().clearCookies();

  // Now active: the enterprise's own user center.
  await enterpriseLogin(page, CODE, "Ent@2026xx");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("用户中心");
  expect(pageErrors).toEqual([]);
});

test("an enterprise account never reaches a person's certificates", async ({ page, request }) => {
  // The demo enterprise names 王建国 as its legal representative; it is still not him.
  await enterpriseLogin(page, "91110000MA01ABCD1M", "Demo@2026");
  await page.getByRole("navigation", { name: "用户中心" }).getByRole("link", { name: "我的证照" }).click();
  await expect(page.getByRole("alert")).toContainText("个人用户");
  await expect(page.getByRole("img", { name: "二维码" })).toHaveCount(0);
  const cookies = await page.context().cookies();
  const session = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  const pdf = await request.get("/api/certificates/00000000000000000000000000000000/pdf", { headers: { cookie: session } });
  expect(pdf.status()).toBe(403);
  expect(await pdf.text()).toContain("个人用户");
});

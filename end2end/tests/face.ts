// Steps shared by the specs of journeys 4 and 5: desktop login, the QR page, a phone-sized
// second browser in the mini-program, and 证照加注 on a card of 电子证照管理.
import { expect, expectAccessible, hydrated } from "./fixtures";
import { devices, type Browser, type Locator, type Page } from "@playwright/test";

/** The demo accounts' password (README). */
export const DEMO_PASSWORD = "Demo@2026";

export async function desktopLogin(page: Page, id: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("身份证号").fill(id);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page).toHaveURL(/\/user$/);
}

/** Opens 我的证照 and returns the address the QR code carries. */
export async function openQr(page: Page): Promise<string> {
  await page.getByRole("navigation", { name: "用户中心" }).getByRole("link", { name: "我的证照" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("人脸识别认证");
  await expect(page.getByRole("img", { name: "二维码" })).toBeVisible();
  // Not the only way (WCAG 3.3.8): the page says what to do without a phone or a face check.
  await expect(page.getByRole("note").filter({ hasText: "无法使用手机扫码" })).toContainText("联系方式");
  await expect(page.getByRole("status").filter({ hasText: "当前状态" })).toContainText("等待扫码");
  await hydrated(page);
  await expectAccessible(page, "我的证照: the QR code, waiting");
  const url = await page.locator(".qr-fallback a").getAttribute("href");
  expect(url).toMatch(/\/m\/scan\?t=[0-9a-f]{64}$/);
  return url!;
}

export async function phone(browser: Browser) {
  const context = await browser.newContext({ ...devices["Pixel 7"], locale: "zh-CN" });
  const page = await context.newPage();
  return { context, page };
}

export async function phoneLoginVia(page: Page, url: string, id: string, password = DEMO_PASSWORD) {
  await page.goto(url);
  await expect(page).toHaveURL(/\/m\/login\?next=/);
  await hydrated(page);
  await page.getByLabel("身份证号").fill(id);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByRole("button", { name: "登录" }).click();
}

/** The phone's steps once it shows the approval screen: 【下一步】 → 【允许】 → the 身份证号
 * `id` → 【开始人脸识别】 → the provider's page (the development provider hands straight back)
 * → 认证成功. */
export async function approveOnPhone(page: Page, id: string) {
  await hydrated(page);
  await expectAccessible(page, "phone: the approval screen");
  await page.getByRole("button", { name: "下一步" }).click();
  const sheet = page.getByRole("dialog");
  await expect(sheet).toBeVisible();
  await expectAccessible(page, "phone: the authorisation sheet");
  await sheet.getByRole("button", { name: "允许" }).click();
  await expect(page.getByRole("button", { name: "开始人脸识别" })).toBeVisible();
  await expectAccessible(page, "phone: the face step");
  await page.getByLabel("本人身份证号").fill(id);
  await page.getByRole("button", { name: "开始人脸识别" }).click();
  await expect(page).toHaveURL(/\/m\/face-return\?ticket=/);
  await expect(page.getByRole("heading", { name: "认证成功" })).toBeVisible();
  await expectAccessible(page, "phone: 认证成功");
}

/** Journey 4 in one go: signs `id` in on the desktop and passes the face check from a phone;
 * the desktop ends on 电子证照管理. */
export async function passFaceCheck(page: Page, browser: Browser, id: string, password = DEMO_PASSWORD) {
  await desktopLogin(page, id, password);
  const url = await openQr(page);
  const m = await phone(browser);
  await phoneLoginVia(m.page, url, id, password);
  await expect(m.page).toHaveURL(/\/m\/scan\?t=/);
  await approveOnPhone(m.page, id);
  await expect(page).toHaveURL(/\/user\/certificates\/manage$/);
  await m.context.close();
}

/** 【证照加注】 on `card` → the dialog states the 使用有效期 → 【加注】 → 加注成功!, and the card
 * shows the new state. */
export async function annotate(page: Page, card: Locator, purpose: string) {
  await card.getByRole("button", { name: "证照加注" }).click();
  const dialog = page.getByRole("dialog", { name: "证照加注" });
  await expect(dialog).toContainText(/使用有效期至 \d{4}-\d{2}-\d{2}/);
  await expectAccessible(page, "the 证照加注 dialog");
  await dialog.getByLabel("加注用途").fill(purpose);
  await dialog.getByRole("button", { name: "加注", exact: true }).click();
  await expect(card.getByText("加注成功!")).toBeVisible();
  await expect(card).toContainText(/加注有效期至 \d{4}-\d{2}-\d{2}/);
  await expect(dialog).toBeHidden();
}

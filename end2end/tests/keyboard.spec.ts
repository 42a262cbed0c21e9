// Issue 14, keyboard only: search, login, registration, the desktop QR page, 加注 in its dialog
// and both downloads with the keyboard alone — Tab, Shift+Tab, Enter, Space, Escape and
// typing — with the focus visible and never hidden under something at every stop (WCAG
// 2.4.7, 2.4.11). Dialogs take the focus, keep it inside and give it back (2.4.3). The signed-in
// pages and the dialogs pass axe in 长辈模式 and 高对比度 too.
import { test, expect, expectAccessible, hydrated, latestCode } from "./fixtures";
import { approveOnPhone, phone, phoneLoginVia, DEMO_PASSWORD } from "./face";
import type { Locator, Page } from "@playwright/test";
import { readFileSync } from "node:fs";

/** 李秀英, a demo account with a certificate (一级注册造价工程师); this spec annotates it. */
const LI = { id: "310104199007220044", password: DEMO_PASSWORD };

/** The focused element is visible: a focus ring (outline or shadow), on screen, and not
 * covered by anything at its centre (a sticky bar, an overlay). */
async function expectVisibleFocus(page: Page) {
  const focus = await page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    if (!e || e === document.body) return { what: "nothing", ring: false, onScreen: false, coveredBy: null };
    const s = getComputedStyle(e);
    const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none";
    const r = e.getBoundingClientRect();
    const onScreen = r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
    const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    const top = document.elementFromPoint(x, y);
    const covered = top && !(top === e || e.contains(top) || top.contains(e));
    return { what: e.outerHTML.slice(0, 90), ring, onScreen, coveredBy: covered ? top!.outerHTML.slice(0, 90) : null };
  });
  expect(focus.ring, `a visible focus ring on ${focus.what}`).toBe(true);
  expect(focus.onScreen, `${focus.what} on screen`).toBe(true);
  expect(focus.coveredBy, `${focus.what} not hidden`).toBeNull();
}

/** Tab (or Shift+Tab) until `target` has the focus, checking the focus at every stop. */
async function tabTo(page: Page, target: Locator, options: { back?: boolean; most?: number } = {}) {
  const key = options.back ? "Shift+Tab" : "Tab";
  for (let i = 0; i < (options.most ?? 80); i++) {
    await page.keyboard.press(key);
    if (await target.evaluate((e) => e === document.activeElement).catch(() => false)) {
      await expectVisibleFocus(page);
      return;
    }
    if (await page.evaluate(() => document.activeElement !== document.body)) await expectVisibleFocus(page);
  }
  throw new Error(`${target} never got the focus by ${key}`);
}

/** After a client-side navigation the new page's heading has the focus. */
async function arrived(page: Page, heading: string | RegExp) {
  const h1 = page.getByRole("heading", { level: 1 });
  await expect(h1).toHaveText(heading);
  await expect(h1).toBeFocused();
}

test("人员资格查询 by keyboard: the menu, the 身份证号 field, Enter, a result, its page", async ({ page, pageErrors }) => {
  await page.goto("/");
  await hydrated(page);
  await tabTo(page, page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "人员资格查询" }));
  await page.keyboard.press("Enter");
  await arrived(page, "人员资格查询");
  await tabTo(page, page.getByLabel("身份证号"));
  await page.keyboard.type("110105198003150039");
  await page.keyboard.press("Enter");
  await expect(page.locator("tbody tr")).toHaveCount(2);
  await tabTo(page, page.locator("tbody tr").first().getByRole("link", { name: "王建国" }));
  await page.keyboard.press("Enter");
  await arrived(page, /^王建国 · /);
});

test("个人用户注册 by keyboard, with the code's live status", async ({ page, request, pageErrors }) => {
  await page.goto("/login");
  await hydrated(page);
  await tabTo(page, page.getByRole("link", { name: "立即注册" }));
  await page.keyboard.press("Enter");
  await arrived(page, "个人用户注册");
  await hydrated(page);
  await tabTo(page, page.getByLabel("姓名"));
  await page.keyboard.type("陈晓华");
  // Then the 证件类型 select (居民身份证 by default) and its number.
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("证件类型")).toBeFocused();
  await expect(page.getByLabel("证件类型")).toHaveValue("resident_id");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("身份证号")).toBeFocused();
  await page.keyboard.type("310101198807150028");
  await tabTo(page, page.getByLabel("手机号"));
  await page.keyboard.type("13700137105");
  await tabTo(page, page.getByRole("button", { name: "获取验证码" }));
  await page.keyboard.press("Enter");
  // The live region says it was sent and when a new one can be asked for.
  const status = page.locator(".sms-status[role=status]");
  await expect(status).toContainText("验证码已发送至 137****7105");
  await expect(status).toContainText("秒后可重新获取");
  await tabTo(page, page.getByLabel("短信验证码"), { back: true });
  await page.keyboard.type(await latestCode(request, "13700137105"));
  await tabTo(page, page.getByLabel("设置密码"));
  await page.keyboard.type("Chen@2026x");
  await tabTo(page, page.getByLabel("确认密码"));
  await page.keyboard.type("Chen@2026x");
  await tabTo(page, page.getByRole("checkbox", { name: /我已阅读并同意/ }));
  await page.keyboard.press("Space");
  await expect(page.getByRole("checkbox", { name: /我已阅读并同意/ })).toBeChecked();
  await tabTo(page, page.getByRole("button", { name: "注册", exact: true }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/login\?registered=person/);
  await expect(page.getByText("注册成功!请使用身份证号和密码登录。")).toBeVisible();
});

test("login, the QR page, 加注 in its dialog and both downloads, by keyboard", async ({ page, browser, pageErrors }) => {
  await page.goto("/");
  await hydrated(page);
  await tabTo(page, page.getByRole("banner").getByRole("link", { name: "登录", exact: true }));
  await page.keyboard.press("Enter");
  await arrived(page, "个人用户登录");
  await hydrated(page);
  await tabTo(page, page.getByLabel("身份证号"));
  await page.keyboard.type(LI.id);
  await tabTo(page, page.getByLabel("密码", { exact: true }));
  await page.keyboard.type(LI.password);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/user$/);
  await hydrated(page);

  // The desktop QR page: reached, and its controls worked, from the keyboard.
  await tabTo(page, page.getByRole("navigation", { name: "用户中心" }).getByRole("link", { name: "我的证照" }));
  await page.keyboard.press("Enter");
  await arrived(page, "人脸识别认证");
  await expect(page.getByRole("status").filter({ hasText: "当前状态" })).toContainText("等待扫码");
  const larger = page.getByRole("button", { name: "放大二维码" });
  await tabTo(page, larger);
  await page.keyboard.press("Enter");
  const smaller = page.getByRole("button", { name: "缩小二维码" });
  await expect(smaller).toHaveAttribute("aria-pressed", "true");
  await expect(smaller).toBeFocused();
  const url = await page.locator(".qr-fallback a").getAttribute("href");
  // The phone's part is the phone's (tapped); the desktop moves on by itself.
  const m = await phone(browser);
  await phoneLoginVia(m.page, url!, LI.id, LI.password);
  await approveOnPhone(m.page, LI.id);
  await m.context.close();
  await expect(page).toHaveURL(/\/user\/certificates\/manage$/);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("电子证照管理");

  // 证照加注: the dialog takes the focus, keeps Tab inside, Escape closes it and the focus
  // comes back to the button that opened it.
  const card = page.getByRole("listitem").filter({ hasText: "一级注册造价工程师" });
  const open = card.getByRole("button", { name: "证照加注" });
  await tabTo(page, open);
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "证照加注" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("加注用途")).toBeFocused();
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press("Tab");
    expect(await dialog.evaluate((d) => d.contains(document.activeElement)), "Tab stays in the dialog").toBe(true);
  }
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press("Shift+Tab");
    expect(await dialog.evaluate((d) => d.contains(document.activeElement)), "Shift+Tab stays in the dialog").toBe(true);
  }
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();

  // In 长辈模式 and 高对比度 the dialog passes axe too.
  await page.context().addCookies([{ name: "portal_care", value: "elder.contrast", url: new URL("/", page.url()).href }]);
  await page.reload();
  await hydrated(page);
  await tabTo(page, open);
  await page.keyboard.press("Enter");
  await expect(dialog.getByLabel("加注用途")).toBeFocused();
  await expectAccessible(page, "the 证照加注 dialog in 长辈模式 and 高对比度");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("人员备案");
  await page.keyboard.press("Enter");
  await expect(card.getByRole("status").filter({ hasText: "加注成功!" })).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();

  // The downloads: the preview takes the focus and offers both; Enter downloads each.
  await tabTo(page, card.locator("figure"));
  await expect(card.locator(".cert-downloads")).toHaveCSS("opacity", "1");
  for (const [name, magic] of [["PDF下载", "%PDF-"], ["OFD下载", "PK"]] as const) {
    await tabTo(page, card.getByRole("link", { name }), { most: 4 });
    const [file] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
    expect(readFileSync((await file.path())!).subarray(0, magic.length).toString()).toBe(magic);
  }

  // The signed-in pages in 长辈模式 and 高对比度.
  for (const path of ["/user", "/user/settings", "/user/security"]) {
    await page.goto(path);
    await hydrated(page);
    await expect(page.locator("html")).toHaveClass(/care-elder care-contrast/);
    await expectAccessible(page, `${path} in 长辈模式 and 高对比度`);
  }
});

test("the session-timeout warning takes the focus, Escape keeps the session, the focus comes back", async ({ page, pageErrors }) => {
  await page.clock.install();
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("身份证号").fill(LI.id);
  await page.getByLabel("密码", { exact: true }).fill(LI.password);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page).toHaveURL(/\/user$/);
  await hydrated(page);
  const settings = page.getByRole("navigation", { name: "用户中心" }).getByRole("link", { name: "账户设置" });
  await settings.focus();
  // 25 idle minutes: the warning (five minutes before the end, far more than 20 s to answer).
  await page.clock.fastForward("25:01");
  const warning = page.getByRole("alertdialog", { name: "即将退出登录" });
  await expect(warning).toBeVisible();
  await expect(warning.getByRole("button", { name: "继续使用" })).toBeFocused();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  expect(await warning.evaluate((d) => d.contains(document.activeElement)), "Tab stays in the warning").toBe(true);
  await page.keyboard.press("Escape");
  await expect(warning).toBeHidden();
  await expect(settings).toBeFocused();
  await expect(page).toHaveURL(/\/user$/);
});

test("paste and password managers work in every field of login, registration and recovery", async ({ page, context, pageErrors }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const pasted = "310104199007220044";
  for (const path of ["/login", "/register", "/forgot-password", "/m/login"]) {
    await page.goto(path);
    await hydrated(page);
    await page.evaluate((text) => navigator.clipboard.writeText(text), pasted);
    const fields = page.locator("main input:is([type=text], [type=password], [type=tel], :not([type])):visible");
    const count = await fields.count();
    expect(count, `${path} has fields`).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) {
      const field = fields.nth(i);
      await field.fill("");
      await field.focus();
      await page.keyboard.press("Control+V");
      const most = await field.evaluate((e: HTMLInputElement) => (e.maxLength > 0 ? e.maxLength : Infinity));
      await expect(field, `paste into ${path} field ${i}`).toHaveValue(pasted.slice(0, most));
    }
    // A password manager finds the account name and knows which password is which.
    for (const password of await page.locator("input[type=password]").all()) {
      await expect(password).toHaveAttribute("autocomplete", /^(current|new)-password$/);
    }
  }
  await page.goto("/login");
  await expect(page.getByLabel("身份证号")).toHaveAttribute("autocomplete", "username");
});

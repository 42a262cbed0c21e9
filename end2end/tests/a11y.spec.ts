// Accessibility: axe-core 4.14 (WCAG 2.2 A/AA and best practices) on every page a visitor can
// open, signed out and signed in, on a desktop and on a phone. The journeys' specs check the
// states they reach (dialogs, field errors, QR states, the phone's steps) the same way.
import { test, expect, hydrated, expectAccessible } from "./fixtures";
import { devices } from "@playwright/test";
import { desktopLogin } from "./face";

const PUBLIC = [
  "/",
  "/search",
  "/search?name=%E7%8E%8B%E5%BB%BA%E5%9B%BD&category=%E4%B8%80%E7%BA%A7%E6%B3%A8%E5%86%8C%E5%BB%BA%E9%80%A0%E5%B8%88",
  "/search?name=%E7%8E%8B",
  "/faq",
  "/contact",
  "/privacy",
  "/evaluation",
  "/login",
  "/login?kind=enterprise",
  "/register",
  "/register?kind=enterprise",
  "/forgot-password",
  "/verify",
  "/verify?code=123",
  "/verify/00000000000000000000000000000000",
  "/no-such-page",
];

test("public pages, signed out", async ({ page }) => {
  for (const path of PUBLIC) {
    await page.goto(path);
    await hydrated(page);
    await expectAccessible(page, path);
  }
  // A registration's detail, reached from the results.
  await page.goto(PUBLIC[2]);
  await hydrated(page);
  await page.getByRole("link", { name: "王建国" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("王建国");
  await expectAccessible(page, "registration detail");
});

test("the user center, signed in", async ({ page }) => {
  await desktopLogin(page, "110105198003150039");
  for (const path of ["/user", "/user/settings", "/user/security", "/user/enterprise", "/user/evaluations", "/", "/search"]) {
    await page.goto(path);
    await hydrated(page);
    await expectAccessible(page, `${path} (signed in)`);
  }
  await page.goto("/user/settings");
  await hydrated(page);
  await page.getByRole("button", { name: "修改手机号" }).click();
  await expectAccessible(page, "/user/settings with the phone form open");
});

test("in English: the pages the journeys in English do not reach, signed out and in", async ({ browser }) => {
  const context = await browser.newContext({ locale: "en-GB" });
  const page = await context.newPage();
  // The other public pages pass axe in English in reflow.spec.ts, on its English visits.
  for (const path of ["/login?kind=enterprise", "/register?kind=enterprise", "/verify?code=123", "/no-such-page"]) {
    await page.goto(path);
    await hydrated(page);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expectAccessible(page, `${path} in English`);
  }
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("ID card number").fill("110105198003150039");
  await page.getByLabel("Password", { exact: true }).fill("Demo@2026");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/user$/);
  for (const path of ["/user/settings", "/user/security", "/user/enterprise", "/user/evaluations", "/user/grants", "/user/uses"]) {
    await page.goto(path);
    await hydrated(page);
    await expectAccessible(page, `${path} in English (signed in)`);
    // The page's own heading is English (certificates' titles below it stay Chinese).
    await expect(page.getByRole("heading", { level: 1 })).not.toHaveText(/[\u4e00-\u9fff]/);
  }
  await context.close();
});

test("the mini-program on a phone, signed out and in", async ({ browser }) => {
  const context = await browser.newContext({ ...devices["Pixel 7"], locale: "zh-CN" });
  const page = await context.newPage();
  for (const path of ["/m", "/m/login"]) {
    await page.goto(path);
    await hydrated(page);
    await expectAccessible(page, `${path} (phone)`);
  }
  await page.getByLabel("身份证号").fill("110105198003150039");
  await page.getByLabel("密码", { exact: true }).fill("Demo@2026");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/m$/);
  await hydrated(page);
  await page.getByRole("button", { name: "扫一扫" }).click();
  await expectAccessible(page, "/m signed in, scan panel open");
  await page.goto("/m/scan?t=0000000000000000000000000000000000000000000000000000000000000000");
  await hydrated(page);
  await expectAccessible(page, "/m/scan with an unknown code");
  await context.close();
});

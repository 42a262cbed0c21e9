// Issue 30 §2: 中文 and English. The browser's Accept-Language decides a first visit; the
// switch (中文 | English, each in its own language) keeps the choice in a cookie; the server
// renders the chosen language (<html lang>, first paint), with or without JavaScript.
import { test, expect, expectAccessible, hydrated } from "./fixtures";

test("a first visit in English, the switch back to 中文 and forward again, kept by the cookie", async ({ browser }) => {
  const context = await browser.newContext({ locale: "en-GB" });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("MOHURD Government Services Portal");
  await expect(page).toHaveTitle("Home - MOHURD Government Services Portal");
  await expect(page.getByRole("navigation", { name: "Main menu" })).toContainText("Search the register");
  await expect(page.getByRole("link", { name: "Skip to main content" })).toBeAttached();
  await hydrated(page);
  await expectAccessible(page, "home in English");
  // The switch names each language in itself; the current one is marked.
  const toolbar = page.getByRole("navigation", { name: "Accessibility toolbar" });
  await expect(toolbar.getByRole("button", { name: "English" })).toHaveAttribute("aria-current", "true");
  await expect(toolbar.getByRole("button", { name: "中文" })).toHaveAttribute("lang", "zh-CN");
  await expect(toolbar.getByRole("button", { name: "Senior mode" })).toBeVisible();

  // A page reached without a load, then 中文: back on that page, in Chinese, kept.
  await page.getByRole("navigation", { name: "Main menu" }).getByRole("link", { name: "Help" }).click();
  await expect(page).toHaveURL(/\/faq$/);
  await toolbar.getByRole("button", { name: "中文" }).click();
  await expect(page).toHaveURL(/\/faq$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("navigation", { name: "主导航" })).toContainText("人员资格查询");
  const cookies = await context.cookies();
  expect(cookies.find((c) => c.name === "portal_lang")?.value).toBe("zh-CN");
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("住房和城乡建设部政务服务门户");
  await context.close();
});

test("the server's messages come in the page's language: a wrong password, with script and without", async ({ browser }) => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ locale: "en-GB", javaScriptEnabled });
    const page = await context.newPage();
    await page.goto("/login");
    if (javaScriptEnabled) await hydrated(page);
    // A number without an account: the answer is the one a wrong password gets.
    await page.getByLabel("ID card number").fill("110102197903050021");
    await page.getByLabel("Password", { exact: true }).fill("Not-his-2026");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    const message = page.locator(".field-error, .alert").filter({ hasText: /wrong/ });
    await expect(message.first()).toContainText("password is wrong");
    await expect(page.locator("body")).not.toContainText("密码错误");
    if (javaScriptEnabled) await expectAccessible(page, "a wrong password in English");
    await context.close();
  }
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false, locale: "zh-CN" });

  test("the switch posts and the page comes back in English", async ({ page }) => {
    await page.goto("/search");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await page.getByRole("button", { name: "English" }).click();
    await expect(page).toHaveURL(/\/search$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("contentinfo")).toContainText("Technical support");
  });
});

test("the home page kept for first visits is the Chinese one: English asks get their own", async ({ request }) => {
  for (let i = 0; i < 2; i++) {
    const en = await request.get("/", { headers: { "accept-language": "en-US,en;q=0.9" } });
    expect(await en.text()).toContain('<html lang="en"');
    expect(en.headers()["vary"]).toContain("Accept-Language");
    const zh = await request.get("/", { headers: { "accept-language": "zh-CN" } });
    expect(await zh.text()).toContain('<html lang="zh-CN"');
  }
});

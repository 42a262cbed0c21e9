// Journey 7 and the portal shell: home → 热门服务 → 常见问题 (7 rows) → 联系方式, on desktop and phone.
import { test, expect, hydrated } from "./fixtures";

test("home page shows the portal name, 【登录】 and 人员资格查询 first in 热门服务", async ({ page, pageErrors }) => {
  await page.goto("/");
  await hydrated(page);
  await expect(page).toHaveTitle(/住房和城乡建设部政务服务门户/);
  expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
  await expect(page.getByRole("link", { name: "登录", exact: true })).toBeVisible();
  const hot = page.getByRole("region", { name: "热门服务" });
  await expect(hot).toBeVisible();
  const cards = hot.getByRole("listitem");
  await expect(cards.first()).toContainText("人员资格查询");
  await expect(hot).toContainText("电子证照");
  await expect(hot).toContainText("用户中心");
  expect(pageErrors).toEqual([]);
});

test("every 热门服务 card leads to a page that exists", async ({ page, request }) => {
  await page.goto("/");
  const cards = page.getByRole("region", { name: "热门服务" }).getByRole("link");
  await expect(cards).toHaveCount(6);
  await expect(page.getByRole("region", { name: "热门服务" })).not.toContainText("即将开放");
  for (const href of await cards.evaluateAll((as) => as.map((a) => a.getAttribute("href")!))) {
    const res = await request.get(href, { maxRedirects: 5 });
    expect(res.status(), href).toBe(200);
    expect(await res.text(), href).not.toContain("您访问的页面不存在");
  }
  // 电子证照 goes through the login and comes back to 我的证照 after it (in the page, hydrated).
  await hydrated(page);
  await page.getByRole("region", { name: "热门服务" }).getByRole("link", { name: /^电子证照/ }).click();
  await expect(page).toHaveURL(/\/login\?next=%2Fuser%2Fcertificates$/);
  await hydrated(page);
  await page.getByLabel("身份证号").fill("110105198003150039");
  await page.getByLabel("密码", { exact: true }).fill("Demo@2026");
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page).toHaveURL(/\/user\/certificates(\/manage)?$/);
});

test.describe("证照核验 without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a typed 核验码 opens its page; a malformed one is explained", async ({ page }) => {
    await page.goto("/verify");
    await page.getByLabel("核验码").fill("0123456789abcdef0123456789ABCDEF");
    await page.getByRole("button", { name: "核验" }).click();
    await expect(page).toHaveURL(/\/verify\/0123456789abcdef0123456789abcdef$/);
    await expect(page.getByRole("status").filter({ hasText: "未找到该电子证照副本" })).toBeVisible();
    await page.goto("/verify");
    await page.getByLabel("核验码").fill("12345");
    await page.getByRole("button", { name: "核验" }).click();
    await expect(page.getByRole("alert")).toContainText("核验码为32位");
  });
});

test("footer leads to 常见问题 with the manual's seven rows, then to 联系方式", async ({ page, pageErrors }) => {
  await page.goto("/");
  await hydrated(page);
  const footer = page.getByRole("contentinfo");
  await footer.getByRole("link", { name: "常见问题" }).click();
  await expect(page).toHaveURL(/\/faq$/);
  await expect(page.getByRole("heading", { level: 1, name: "常见问题" })).toBeVisible();

  const table = page.getByRole("table");
  await expect(table.getByRole("columnheader")).toHaveText(["序号", "问题描述", "问题位置", "处理方法"]);
  const rows = table.locator("tbody tr");
  await expect(rows).toHaveCount(7);
  await expect(rows.nth(0)).toContainText("个人账号登录不进去是什么原因");
  await expect(rows.nth(2)).toContainText("手动跳转按钮");
  await expect(rows.nth(6)).toContainText("当前手机号已被其他人员绑定");

  await page.getByRole("contentinfo").getByRole("link", { name: "联系方式" }).click();
  await expect(page).toHaveURL(/\/contact$/);
  const main = page.getByRole("main");
  await expect(main).toContainText("技术支持电话");
  await expect(main.getByRole("link", { name: "010-58934542" })).toBeVisible();
  await expect(main.getByRole("link", { name: "010-58934446" })).toBeVisible();
  await expect(main.getByRole("link", { name: "XTC@mohurd.gov.cn" })).toHaveAttribute("href", "mailto:XTC@mohurd.gov.cn");
  expect(pageErrors).toEqual([]);
});

test("the FAQ filter works once hydrated (the page is live, not just server-rendered)", async ({ page, pageErrors }) => {
  await page.goto("/faq");
  await hydrated(page);
  const rows = page.locator("tbody tr:visible");
  await expect(rows).toHaveCount(7);
  await page.getByLabel("查找问题").fill("验证码");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("收不到手机验证码");
  const count = page.getByRole("main").getByRole("status");
  await expect(count).toHaveText("共 1 个问题");
  await page.getByLabel("查找问题").fill("没有这样的问题");
  await expect(rows).toHaveCount(0);
  await expect(count).toContainText("没有找到相关问题");
  expect(pageErrors).toEqual([]);
});

test("an unknown address answers 404 with a page that leads home", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("您访问的页面不存在");
  await page.getByRole("link", { name: "返回首页" }).click();
  await expect(page).toHaveURL(/\/$/);
});

test("the keyboard reaches the skip link, the 无障碍工具条 and 登录", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "跳到主要内容" })).toBeFocused();
  const bar = page.getByRole("navigation", { name: "无障碍工具条" });
  for (const name of ["长辈模式", "语音阅读", "放大", "缩小", "高对比度", "大鼠标", "重置"]) {
    await page.keyboard.press("Tab");
    await expect(bar.getByRole("button", { name })).toBeFocused();
  }
  // Then the language switch, each language named in itself.
  for (const name of ["中文", "English"]) {
    await page.keyboard.press("Tab");
    await expect(bar.getByRole("button", { name })).toBeFocused();
  }
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "登录", exact: true })).toBeFocused();
});

test("responses carry the security headers and the page works under its CSP", async ({ page, pageErrors }) => {
  const response = await page.goto("/");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{22}'/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  await hydrated(page);
  expect(pageErrors).toEqual([]);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("the layout fits the screen and the services are reachable", async ({ page, pageErrors }) => {
    await page.goto("/");
    await hydrated(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expect(page.getByRole("link", { name: "登录", exact: true })).toBeVisible();
    await expect(page.getByRole("region", { name: "热门服务" }).getByRole("listitem").first()).toBeVisible();
    await page.goto("/faq");
    await hydrated(page);
    const faqOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(faqOverflow).toBeLessThanOrEqual(0);
    expect(pageErrors).toEqual([]);
  });
});

test("a client-side navigation moves focus to the new page's heading and announces its title", async ({ page, pageErrors }) => {
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "常见问题" }).click();
  await expect(page).toHaveTitle(/^常见问题/);
  await expect(page.locator("main h1")).toBeFocused();
  await expect(page.locator(".page > p.visually-hidden[aria-live=polite]")).toHaveText(/^已打开:常见问题/);
  // And back through the breadcrumb-free way a keyboard user would: the skip link still leads to main.
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "人员资格查询" }).click();
  await expect(page.locator("main h1")).toBeFocused();
  await expect(page.locator("main h1")).toHaveText("人员资格查询");
});

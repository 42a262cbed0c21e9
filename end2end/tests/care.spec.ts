// Issue 14's 无障碍工具条: 长辈模式, 放大 / 缩小, 高对比度, 大鼠标, 重置. The choice is kept in a
// cookie and rendered by the server (first paint already large, and without JavaScript);
// the numbers of 长辈模式 are measured from the computed styles.
import { test, expect, expectAccessible, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";

const PAGES = ["/", "/search", "/faq", "/contact", "/login", "/register", "/verify", "/m", "/m/login"];

/** Relative luminance of an `rgb(…)` colour (WCAG 2). */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? ["0", "0", "0"]).slice(0, 3).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** The numbers 长辈模式 promises, measured on the page as it is. */
async function expectElderly(page: Page, phone: boolean) {
  const m = await page.evaluate(() => {
    const visible = (e: Element) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden";
    };
    const texts = [...document.querySelectorAll("main p, main li, main dd, main td, main label")].filter(visible);
    const heading = document.querySelector("h1");
    const controls = [...document.querySelectorAll("main button, main input:not([type=hidden]), main select, main .btn")].filter(visible);
    const bg = (e: Element): string => {
      for (let n: Element | null = e; n; n = n.parentElement) {
        const c = getComputedStyle(n).backgroundColor;
        if (c !== "rgba(0, 0, 0, 0)" && c !== "transparent") return c;
      }
      return "rgb(255, 255, 255)";
    };
    return {
      smallest: Math.min(...texts.map((e) => parseFloat(getComputedStyle(e).fontSize))),
      lineHeight: Math.min(
        ...texts.map((e) => parseFloat(getComputedStyle(e).lineHeight) / parseFloat(getComputedStyle(e).fontSize)),
      ),
      heading: heading ? parseFloat(getComputedStyle(heading).fontSize) : 0,
      smallestControl: Math.min(
        ...controls.map((e) => Math.min(e.getBoundingClientRect().width, e.getBoundingClientRect().height)),
      ),
      colours: texts.map((e) => [getComputedStyle(e).color, bg(e)]),
    };
  });
  expect(m.smallest, "body text size").toBeGreaterThanOrEqual(phone ? 18 : 20);
  expect(m.lineHeight, "line height").toBeGreaterThanOrEqual(1.5);
  expect(m.heading, "heading size").toBeGreaterThanOrEqual(30);
  if (Number.isFinite(m.smallestControl)) {
    expect(m.smallestControl, "control size").toBeGreaterThanOrEqual(phone ? 60 : 44);
  }
  for (const [fg, bg] of m.colours) expect(contrast(fg, bg), `${fg} on ${bg}`).toBeGreaterThanOrEqual(7);
}

test("the toolbar comes first by keyboard; 长辈模式 is large, kept, and rendered by the server", async ({ page, pageErrors }) => {
  await page.goto("/");
  await hydrated(page);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "跳到主要内容" })).toBeFocused();
  await page.keyboard.press("Tab");
  const elder = page.getByRole("navigation", { name: "无障碍工具条" }).getByRole("button", { name: "长辈模式" });
  await expect(elder).toBeFocused();
  await expect(elder).toHaveAttribute("aria-pressed", "false");
  await page.keyboard.press("Enter");
  await expect(elder).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator("html")).toHaveClass(/care-elder/);
  for (const path of PAGES) {
    await page.goto(path);
    await hydrated(page);
    await expectElderly(page, path.startsWith("/m"));
    await expectAccessible(page, `${path} in 长辈模式`);
  }
  // The server renders the choice: the first byte is already large.
  const html = await (await page.request.get("/faq")).text();
  expect(html).toMatch(/<html[^>]*class="care-elder"/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/care-elder/);
});

test("高对比度 on every public page: 7:1 text and no axe violation", async ({ page, pageErrors }) => {
  await page.context().addCookies([{ name: "portal_care", value: "contrast", url: test.info().project.use.baseURL! }]);
  for (const path of PAGES) {
    await page.goto(path);
    await hydrated(page);
    await expect(page.locator("html")).toHaveClass(/care-contrast/);
    const pairs = await page.evaluate(() => {
      const bg = (e: Element): string => {
        for (let n: Element | null = e; n; n = n.parentElement) {
          const c = getComputedStyle(n).backgroundColor;
          if (c !== "rgba(0, 0, 0, 0)" && c !== "transparent") return c;
        }
        return "rgb(255, 255, 255)";
      };
      return [...document.querySelectorAll("main :is(h1, h2, p, li, dd, td, label, a, button)")]
        .filter((e) => e.getBoundingClientRect().width > 0)
        .map((e) => [getComputedStyle(e).color, bg(e)]);
    });
    expect(pairs.length, `${path} has text`).toBeGreaterThan(0);
    for (const [fg, bg] of pairs) expect(contrast(fg, bg), `${path}: ${fg} on ${bg}`).toBeGreaterThanOrEqual(7);
    await expectAccessible(page, `${path} in 高对比度`);
  }
});

test("长辈模式 on a phone: 18 px text and 60 px controls in the mini-program", async ({ browser }) => {
  const { devices } = await import("@playwright/test");
  const context = await browser.newContext({ ...devices["Pixel 7"], locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto("/m/login");
  await hydrated(page);
  // On a phone the toolbar is folded into 【无障碍】.
  await page.locator(".care-summary").click();
  await page.getByRole("button", { name: "长辈模式" }).click();
  // The toolbar's code arrives on first use: the page changes a moment after the tap.
  await expect(page.locator("html")).toHaveClass(/care-elder/);
  await expectElderly(page, true);
  await expectAccessible(page, "/m/login in 长辈模式 on a phone");
  await context.close();
});

/** The height of the toolbar's band above the page (CSS px). */
async function barHeight(page: Page): Promise<number> {
  const box = await page.getByRole("navigation", { name: "无障碍工具条" }).boundingBox();
  return box!.height;
}

for (const javaScriptEnabled of [true, false]) {
  test(`on a phone the toolbar folds into 【无障碍】: one row, first after the skip link (${javaScriptEnabled ? "script" : "no script"})`, async ({ browser }) => {
    const { devices } = await import("@playwright/test");
    const context = await browser.newContext({ ...devices["Pixel 7"], locale: "zh-CN", javaScriptEnabled });
    const page = await context.newPage();
    for (const path of ["/", "/m/login"]) {
      await page.goto(path);
      if (javaScriptEnabled) await hydrated(page);
      expect(page.viewportSize()!.width).toBe(412);
      // Folded: at most 56 px of toolbar above the page, its buttons out of the way.
      const height = await barHeight(page);
      console.log(`toolbar band at 412 px on ${path}, folded: ${height} px`);
      expect(height, path).toBeLessThanOrEqual(56);
      await expect(page.getByRole("button", { name: "长辈模式" })).toBeHidden();
    }
    // By keyboard: the skip link, then the fold, whose state is announced (expanded or not).
    await page.locator("body").focus();
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "跳到主要内容" })).toBeFocused();
    await page.keyboard.press("Tab");
    const fold = page.locator(".care-summary");
    await expect(fold).toBeFocused();
    // What a screen reader is told: the browser's accessibility tree (Chrome DevTools
    // Protocol) has the control named 无障碍 / Language (the arrow is not read) with its expanded state.
    const cdp = await context.newCDPSession(page);
    const expanded = async () => {
      const { nodes } = await cdp.send("Accessibility.getFullAXTree");
      const control = nodes.find((n) => n.name?.value === "无障碍 / Language" && n.properties?.some((p) => p.name === "expanded"));
      return control?.properties?.find((p) => p.name === "expanded")?.value.value;
    };
    expect(await expanded()).toBe(false);
    await page.keyboard.press("Enter");
    await expect(page.locator("details.care-fold")).toHaveAttribute("open", "");
    expect(await expanded()).toBe(true);
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "长辈模式" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.locator("html")).toHaveClass(/care-elder/);
    // 长辈模式 on: larger, but the fold is still one row once closed.
    if (await page.locator("details.care-fold[open]").count()) await page.locator(".care-summary").click();
    await expect(page.getByRole("button", { name: "长辈模式" })).toBeHidden();
    const row = await page.locator(".care-summary").boundingBox();
    const elder = await barHeight(page);
    console.log(`toolbar band at 412 px in 长辈模式, folded: ${elder} px (its row ${row!.height} px)`);
    expect(elder).toBeLessThanOrEqual(row!.height + 12);
    expect(row!.height).toBeLessThan(2 * 18 * 1.6 + 8);
    // (axe runs in the page, so only where script does.)
    if (javaScriptEnabled) await expectAccessible(page, "the folded toolbar in 长辈模式 on a phone");
    await context.close();
  });
}

test("放大 to 200% without sideways scrolling, 高对比度, 大鼠标, 重置", async ({ page, pageErrors }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/search");
  await hydrated(page);
  const bar = page.getByRole("navigation", { name: "无障碍工具条" });
  for (let i = 0; i < 4; i++) await bar.getByRole("button", { name: "放大" }).click();
  await expect(bar.locator(".care-zoom")).toHaveText("文字大小 200%");
  await expect(page.locator("html")).toHaveClass(/care-z200/);
  const root = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  expect(root).toBe(32);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "no sideways scrolling at 200%").toBeLessThanOrEqual(0);
  await bar.getByRole("button", { name: "缩小" }).click();
  await expect(bar.locator(".care-zoom")).toHaveText("文字大小 175%");

  await bar.getByRole("button", { name: "高对比度" }).click();
  await expect(bar.getByRole("button", { name: "高对比度" })).toHaveAttribute("aria-pressed", "true");
  const colours = await page.evaluate(() => {
    const p = document.querySelector("main h1")!;
    return [getComputedStyle(p).color, getComputedStyle(document.body).backgroundColor];
  });
  expect(contrast(colours[0], colours[1])).toBeGreaterThanOrEqual(7);
  await expectAccessible(page, "/search in 高对比度");
  await bar.getByRole("button", { name: "大鼠标" }).click();
  expect(await page.evaluate(() => getComputedStyle(document.body).cursor)).toContain("url(");

  await bar.getByRole("button", { name: "重置" }).click();
  await expect(page.locator("html")).not.toHaveClass(/care-/);
  await expect(bar.locator(".care-zoom")).toHaveText("文字大小 100%");
  await page.reload();
  await expect(page.locator("html")).not.toHaveClass(/care-/);
});

test("语音阅读 reads what has the focus or the pointer, and the main content, in zh-CN", async ({ page, pageErrors }) => {
  // The browser's speech synthesis, watched: what would be spoken, and in which language.
  await page.addInitScript(() => {
    const w = window as unknown as { spoken: { text: string; lang: string }[]; voices: unknown[] };
    w.spoken = [];
    w.voices = [{ lang: "zh-CN", name: "中文", default: true, localService: true, voiceURI: "zh-CN" }];
    speechSynthesis.getVoices = () => w.voices as SpeechSynthesisVoice[];
    speechSynthesis.speak = (u: SpeechSynthesisUtterance) => void w.spoken.push({ text: u.text, lang: u.lang });
    speechSynthesis.cancel = () => {};
  });
  const spoken = () => page.evaluate(() => (window as unknown as { spoken: { text: string; lang: string }[] }).spoken);
  await page.goto("/faq");
  await hydrated(page);
  const bar = page.getByRole("navigation", { name: "无障碍工具条" });
  await bar.getByRole("button", { name: "语音阅读" }).click();
  await expect(bar.getByRole("button", { name: "语音阅读" })).toHaveAttribute("aria-pressed", "true");
  // The speech code loads on first use; it says so when it is ready.
  await expect.poll(async () => (await spoken()).map((s) => s.text)).toContain("语音阅读已开启");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "联系方式" }).focus();
  await expect.poll(async () => (await spoken()).map((s) => s.text)).toContain("联系方式");
  await page.getByRole("heading", { level: 1 }).hover();
  await expect.poll(async () => (await spoken()).map((s) => s.text)).toContain("常见问题");
  await bar.getByRole("button", { name: "朗读全文" }).click();
  await expect.poll(async () => (await spoken()).some((s) => s.text.includes("常见问题") && s.text.length > 100)).toBe(true);
  for (const s of await spoken()) expect(s.lang).toBe("zh-CN");
  await expectAccessible(page, "/faq with 语音阅读 on");

  // No Chinese voice: said plainly, nothing spoken.
  await page.evaluate(() => {
    const w = window as unknown as { spoken: unknown[]; voices: unknown[] };
    w.voices = [{ lang: "en-US", name: "English", default: true, localService: true, voiceURI: "en" }];
    w.spoken = [];
  });
  await bar.getByRole("button", { name: "朗读全文" }).click();
  await expect(bar.getByRole("status").filter({ hasText: "没有可用的中文语音" })).toBeVisible();
  expect(await spoken()).toEqual([]);
  await bar.getByRole("button", { name: "语音阅读" }).click();
  await expect(bar.getByRole("button", { name: "朗读全文" })).toHaveCount(0);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the toolbar's buttons post, and the page comes back as chosen", async ({ page }) => {
    await page.goto("/faq?q=密码");
    // Reading aloud needs script: its button is not offered.
    await expect(page.getByRole("button", { name: "语音阅读" })).toBeHidden();
    await page.getByRole("button", { name: "长辈模式" }).click();
    await expect(page).toHaveURL(/\/faq\?q=/);
    await expect(page.locator("html")).toHaveClass(/care-elder/);
    await expect(page.getByRole("button", { name: "长辈模式" })).toHaveAttribute("aria-pressed", "true");
    await page.getByRole("button", { name: "重置" }).click();
    await expect(page.locator("html")).not.toHaveClass(/care-elder/);
  });
});

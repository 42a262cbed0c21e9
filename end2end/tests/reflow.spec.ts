// Issue 14, what automated audits miss: reflow at 320 CSS px and at 200% (WCAG 1.4.10), the
// text-spacing overrides (1.4.12: line height 1.5, paragraphs 2 em, letters 0.12 em, words
// 0.16 em) losing nothing, and targets of at least 24 × 24 px or spaced as if they were
// (2.5.8) — on every public page, ordinary and in 长辈模式.
import { test, expect, expectAccessible, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";

const PAGES = [
  "/",
  "/search",
  "/search?reg_no=%E5%BB%BA%5B%E9%80%A0%5D11531000001",
  "/faq",
  "/contact",
  "/privacy",
  "/evaluation",
  "/login",
  "/register",
  "/forgot-password",
  "/verify",
  "/m",
  "/m/login",
];

/** The WCAG 1.4.12 test's style, applied on top of the portal's. */
const TEXT_SPACING = `
  * { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
  p { margin-bottom: 2em !important; }
`;

async function visit(page: Page, path: string, care: string) {
  await page.context().clearCookies();
  const url = test.info().project.use.baseURL!;
  if (care) await page.context().addCookies([{ name: "portal_care", value: care, url }]);
  await page.goto(path);
  await hydrated(page);
  await expect(page.locator("h1").first()).toBeVisible();
}

/** What a page loses: sideways scrolling, and text cut off inside a box that hides its
 * overflow. */
async function losses(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) found.push(`scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
    for (const e of document.querySelectorAll<HTMLElement>("body *")) {
      const s = getComputedStyle(e);
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || s.visibility === "hidden") continue;
      if (e.closest(".visually-hidden, svg, [aria-hidden=true]")) continue;
      const hides = (o: string) => o === "hidden" || o === "clip";
      if (!(hides(s.overflowX) || hides(s.overflowY))) continue;
      if (!e.innerText?.trim()) continue;
      if (hides(s.overflowX) && e.scrollWidth > e.clientWidth + 1) found.push(`cut sideways: ${e.outerHTML.slice(0, 80)}`);
      if (hides(s.overflowY) && e.scrollHeight > e.clientHeight + 1) found.push(`cut off below: ${e.outerHTML.slice(0, 80)}`);
    }
    return found;
  });
}

/** Targets under 24 × 24 px whose 24 px circle would touch another target (2.5.8); links
 * inside a sentence are exempt, as the criterion says. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex='0']";
    const shown = [...document.querySelectorAll<HTMLElement>(selector)].filter((e) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden" && !e.closest(".visually-hidden");
    });
    const inline = (e: HTMLElement) => {
      if (e.tagName !== "A") return false;
      const block = e.closest("p, li, dd, td, figcaption, label, small");
      return !!block && (block.textContent ?? "").trim().length > (e.textContent ?? "").trim().length;
    };
    const rect = (e: HTMLElement) => e.getBoundingClientRect();
    const centre = (r: DOMRect) => [r.left + r.width / 2, r.top + r.height / 2];
    const small = (r: DOMRect) => r.width < 24 || r.height < 24;
    const distanceTo = (x: number, y: number, r: DOMRect) =>
      Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
    const found: string[] = [];
    for (const t of shown) {
      const r = rect(t);
      if (!small(r) || inline(t)) continue;
      const [x, y] = centre(r);
      const crowded = shown.some((u) => {
        if (u === t || u.contains(t) || t.contains(u)) return false;
        const q = rect(u);
        if (distanceTo(x, y, q) < 12) return true;
        const [ux, uy] = centre(q);
        return small(q) && Math.hypot(ux - x, uy - y) < 24;
      });
      if (crowded) found.push(`${Math.round(r.width)}×${Math.round(r.height)} ${t.outerHTML.slice(0, 80)}`);
    }
    return found;
  });
}

// One visit per page and mode serves every width: a viewport's new width reflows the page as a
// load at that width would (the layout is CSS alone), and a visit costs the debug WASM's
// hydration each time.
for (const care of ["", "elder"]) {
  const mode = care ? "长辈模式" : "ordinary";

  test(`reflow at 320 CSS px and at 200%, text spacing, and 24 px targets, ${mode}`, async ({ browser }) => {
    // A citizen's own style sheet (a browser extension, a user style) is not bound by the
    // page's Content-Security-Policy; the test's is added the same way.
    const context = await browser.newContext({ bypassCSP: true, locale: "zh-CN", baseURL: test.info().project.use.baseURL });
    const page = await context.newPage();
    for (const path of PAGES) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await visit(page, path, care);
      expect(await smallTargets(page), `${path} at 1280 px, ${mode}`).toEqual([]);
      await page.setViewportSize({ width: 390, height: 800 });
      expect(await smallTargets(page), `${path} at 390 px, ${mode}`).toEqual([]);
      // 320 px, and browser zoom 200% on a 1280 px window: 640 CSS px.
      for (const width of [320, 640]) {
        await page.setViewportSize({ width, height: 800 });
        expect(await losses(page), `${path} at ${width} px, ${mode}`).toEqual([]);
      }
      await page.addStyleTag({ content: TEXT_SPACING });
      for (const width of [320, 1280]) {
        await page.setViewportSize({ width, height: 800 });
        expect(await losses(page), `${path} at ${width} px with text spacing, ${mode}`).toEqual([]);
      }
      // The toolbar's 放大 to 200% on a desktop window.
      await visit(page, path, [care, "z200"].filter(Boolean).join("."));
      expect(await losses(page), `${path} at 1280 px z200, ${mode}`).toEqual([]);
    }
    await context.close();
  });
}

test("English's longer words reflow at 320 CSS px, keep their targets and pass axe", async ({ browser }) => {
  const context = await browser.newContext({ locale: "en-GB", baseURL: test.info().project.use.baseURL });
  const page = await context.newPage();
  await page.setViewportSize({ width: 320, height: 800 });
  for (const path of PAGES) {
    await visit(page, path, "");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    expect(await losses(page), `${path} at 320 px in English`).toEqual([]);
    expect(await smallTargets(page), `${path} at 320 px in English`).toEqual([]);
    // axe on each public page in English, on the same visit.
    await expectAccessible(page, `${path} in English at 320 px`);
  }
  await context.close();
});

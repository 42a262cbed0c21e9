// Client-side navigation time (issue 15): from the click on a link to the new page's heading,
// measured in the page (performance.now() in a capturing click listener, and a mutation
// observer that sees the heading appear), with Playwright's Chromium on loopback. Each pair is
// measured RUNS times (10 unless NAV_RUNS says otherwise) in a fresh browser context, so that
// the page's code is not yet in the cache (a first visit to a lazy page), and once more per
// context right after (the way back, code cached). Prints the medians; exits 1 when a median
// is over 150 ms.
// Usage: node nav-timing.mjs http://127.0.0.1:3111
import { chromium } from "@playwright/test";

const base = (process.argv[2] ?? process.env.PORTAL_URL ?? "http://127.0.0.1:3000").replace(/\/$/, "");
const RUNS = Number(process.env.NAV_RUNS ?? 10);
const LIMIT = 150;
// From, the link's address, the new page's heading; the way back is the first page's heading.
const PAIRS = [
  ["/", "/search", "人员资格查询", "住房和城乡建设部政务服务门户"],
  ["/", "/login", "个人用户登录", "住房和城乡建设部政务服务门户"],
  ["/login", "/register", "个人用户注册", "个人用户登录"],
  ["/", "/faq", "常见问题", "住房和城乡建设部政务服务门户"],
  ["/faq", "/contact", "联系方式", "常见问题"],
  ["/", "/verify", "证照核验", "住房和城乡建设部政务服务门户"],
  ["/contact", "/search", "人员资格查询", "联系方式"],
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Clicks the link to `href` and returns the milliseconds until `main h1` says `heading`. */
async function timeNavigation(page, href, heading) {
  await page.evaluate((heading) => {
    const w = window;
    w.__nav = { start: 0, end: 0 };
    document.addEventListener("click", () => { if (!w.__nav.start) w.__nav.start = performance.now(); }, { capture: true, once: true });
    const seen = () => {
      const h = document.querySelector("main h1");
      if (w.__nav.start && !w.__nav.end && h && h.textContent.trim() === heading) w.__nav.end = performance.now();
    };
    new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, heading);
  await page.locator(`a[href="${href}"]:visible, a[href^="${href}?"]:visible`).first().click();
  await page.waitForFunction(() => window.__nav.end > 0, null, { timeout: 15000 });
  return page.evaluate(() => window.__nav.end - window.__nav.start);
}

const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium" });
const rows = [];
const over = [];
try {
  for (const [from, to, heading, back] of PAIRS) {
    const first = [];
    const again = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(base + from);
      await page.locator('.page[data-hydrated="true"]').waitFor();
      first.push(await timeNavigation(page, to, heading));
      // The way back, then forth again: both pages' code is cached now.
      await page.goBack();
      await page.locator("main h1", { hasText: back }).waitFor();
      again.push(await timeNavigation(page, to, heading));
      await context.close();
    }
    const [m1, m2] = [median(first), median(again)];
    if (m1 > LIMIT || m2 > LIMIT) over.push(`${from} → ${to}`);
    rows.push([`${from} → ${to}`, `${Math.round(m1)} ms`, `${Math.round(Math.max(...first))} ms`, `${Math.round(m2)} ms`]);
  }
} finally {
  await browser.close();
}
console.log(`client-side navigation, click → heading, median of ${RUNS}`);
console.log("| navigation | first visit (median) | first visit (slowest) | code cached (median) |");
console.log("|---|---|---|---|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
if (over.length) {
  console.log(`over ${LIMIT} ms: ${over.join(", ")}`);
  process.exit(1);
}
console.log(`every navigation within ${LIMIT} ms`);

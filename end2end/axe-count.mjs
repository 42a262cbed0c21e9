// Counts axe-core violations (WCAG 2.2 A/AA + best practices) on the portal's pages, signed out
// and in, desktop and phone. Prints one line per page and a total; exits 0 (a measurement).
import { chromium, devices } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

const base = process.env.PORTAL_URL ?? "http://127.0.0.1:3000";
const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];
const pages = ["/", "/search", "/search?name=%E7%8E%8B%E5%BB%BA%E5%9B%BD&category=%E4%B8%80%E7%BA%A7%E6%B3%A8%E5%86%8C%E5%BB%BA%E9%80%A0%E5%B8%88",
  "/search?name=%E7%8E%8B", "/faq", "/contact", "/privacy", "/evaluation", "/login", "/login?kind=enterprise", "/register",
  "/register?kind=enterprise", "/forgot-password", "/verify", "/verify/00000000000000000000000000000000", "/no-such-page"];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
let total = 0;
const byRule = {};
async function scan(page, label) {
  const r = await new AxeBuilder({ page }).withTags(tags).analyze();
  const n = r.violations.reduce((s, v) => s + v.nodes.length, 0);
  total += n;
  for (const v of r.violations) byRule[v.id] = (byRule[v.id] ?? 0) + v.nodes.length;
  console.log(`${String(n).padStart(3)}  ${label}  ${r.violations.map((v) => v.id).join(" ")}`);
}
const desk = await (await browser.newContext({ locale: "zh-CN" })).newPage();
for (const p of pages) { await desk.goto(base + p); await desk.waitForTimeout(800); await scan(desk, p); }
await desk.goto(base + "/login"); await desk.waitForTimeout(800);
await desk.getByLabel("身份证号").fill("110105198003150039");
await desk.getByLabel("密码", { exact: true }).fill("Demo@2026");
await desk.getByRole("button", { name: "登录", exact: true }).click();
await desk.waitForURL(/\/user$/);
for (const p of ["/user", "/user/settings", "/user/security", "/user/certificates", "/user/evaluations"]) { await desk.goto(base + p); await desk.waitForTimeout(800); await scan(desk, p + " (signed in)"); }
const phone = await (await browser.newContext({ ...devices["Pixel 7"], locale: "zh-CN" })).newPage();
for (const p of ["/m", "/m/login"]) { await phone.goto(base + p); await phone.waitForTimeout(800); await scan(phone, p + " (phone)"); }
console.log(`axe total: ${total} violation nodes`, JSON.stringify(byRule));
await browser.close();

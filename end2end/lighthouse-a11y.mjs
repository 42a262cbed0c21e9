// Lighthouse 12.2.3's accessibility score of every public page and the signed-in pages, in the
// ordinary pages, in 长辈模式 and in 高对比度 (the 无障碍工具条's choices, set by the cookie the
// server renders from), and in English (the language switch's cookie), with Debian's Chromium.
// Prints a table; exits 0 (a measurement).
// Usage: node lighthouse-a11y.mjs http://127.0.0.1:3109
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { demoSession } from "./demo-session.mjs";

const base = (process.argv[2] ?? process.env.PORTAL_URL ?? "http://127.0.0.1:3000").replace(/\/$/, "");
const PUBLIC = ["/", "/search", "/search?name=%E7%8E%8B", "/faq", "/contact", "/privacy", "/evaluation", "/login",
  "/login?kind=enterprise", "/register", "/register?kind=enterprise", "/forgot-password", "/verify",
  "/m", "/m/login"];
// Not here: the 404 page (Lighthouse does not audit an error response; the Playwright specs run
// axe on it).
const SIGNED_IN = ["/user", "/user/settings", "/user/security", "/user/enterprise", "/user/certificates", "/user/evaluations",
  "/user/grants", "/user/uses"];
// Each mode is the cookie that chooses it.
// A11Y_MODES (comma-separated names, e.g. English) measures only those.
const ALL_MODES = [["普通", ""], ["长辈模式", "portal_care=elder"], ["高对比度", "portal_care=contrast"], ["English", "portal_lang=en"]];
const chosen = process.env.A11Y_MODES?.split(",").map((m) => m.trim());
const MODES = chosen ? ALL_MODES.filter(([name]) => chosen.includes(name)) : ALL_MODES;


const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--lang=zh-CN"],
});
const signedIn = await demoSession(base);
const rows = [];
let lowest = 100;
try {
  for (const path of [...PUBLIC, ...SIGNED_IN]) {
    const scores = [];
    for (const [, mode] of MODES) {
      const cookies = [mode, SIGNED_IN.includes(path) && signedIn].filter(Boolean);
      const result = await lighthouse(`${base}${path}`, {
        port: chrome.port,
        onlyCategories: ["accessibility"],
        formFactor: path.startsWith("/m") ? "mobile" : "desktop",
        screenEmulation: path.startsWith("/m")
          ? { mobile: true, width: 412, height: 915, deviceScaleFactor: 2.625, disabled: false }
          : { mobile: false, width: 1350, height: 940, deviceScaleFactor: 1, disabled: false },
        extraHeaders: cookies.length ? { Cookie: cookies.join("; ") } : undefined,
        logLevel: "error",
      });
      const category = result.lhr.categories.accessibility;
      const score = Math.round(category.score * 100);
      lowest = Math.min(lowest, score);
      const failing = category.auditRefs
        .map((ref) => result.lhr.audits[ref.id])
        .filter((a) => a.score === 0)
        .map((a) => a.id);
      scores.push(failing.length ? `${score} (${failing.join(", ")})` : String(score));
    }
    rows.push([path + (SIGNED_IN.includes(path) ? " (signed in)" : ""), ...scores]);
  }
} finally {
  await chrome.kill();
}
console.log(`| page | ${MODES.map(([name]) => name).join(" | ")} |`);
console.log(`|---|${MODES.map(() => "---").join("|")}|`);
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
console.log(`lowest accessibility score: ${lowest}`);

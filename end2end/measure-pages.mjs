// What each page costs a citizen who opens it first: a fresh browser (empty cache) loads the
// page and waits until it is live (`.page[data-hydrated=true]`, the page's chunk included);
// every request the server answered is counted with the bytes of content received (as sent:
// brotli where the browser accepts it). Printed beside issue 26's target: live after
// ≤ 350 KB in all, with ≤ 10 requests. Signed-in pages use the demo account 王建国.
// Used by scripts/measure.sh; prints, never asserts.
import { chromium } from "@playwright/test";
import { demoSession } from "./demo-session.mjs";

const base = (process.argv[2] ?? "http://127.0.0.1:3000").replace(/\/$/, "");
const BYTES = 350 * 1024;
const REQUESTS = 10;
// [address, signed in, what it is]
const PAGES = [
  ["/", false, "首页"],
  ["/search", false, "人员资格查询"],
  ["/faq", false, "常见问题"],
  ["/verify", false, "证照核验"],
  ["/login", false, "登录"],
  ["/register", false, "注册"],
  ["/forgot-password", false, "找回密码"],
  ["/user", true, "用户中心"],
  ["/user/certificates", true, "我的证照"],
  ["/user/settings", true, "账户设置"],
  ["/user/grants", true, "授权用证"],
  ["/user/uses", true, "用证记录"],
  ["/m", false, "小程序首页"],
  ["/m/login", false, "小程序登录"],
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const cookie = await demoSession(base);
const [name, value] = cookie.split(/=(.*)/s);

console.log(`${"page".padEnd(22)} ${"requests".padStart(8)} ${"bytes".padStart(9)}  target ≤ ${REQUESTS} requests, ≤ ${BYTES} B`);
let over = 0;
for (const [path, signedIn, label] of PAGES) {
  const context = await browser.newContext({ locale: "zh-CN" });
  if (signedIn) await context.addCookies([{ name, value, url: base }]);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  const requests = new Map();
  cdp.on("Network.responseReceived", (e) => {
    if (e.response.url.startsWith("data:")) return;
    requests.set(e.requestId, { url: e.response.url, headerBytes: e.response.encodedDataLength ?? 0, bytes: 0 });
  });
  cdp.on("Network.loadingFinished", (e) => {
    const r = requests.get(e.requestId);
    if (r) r.bytes = e.encodedDataLength;
  });
  await page.goto(base + path, { waitUntil: "networkidle" });
  await page.locator(".page[data-hydrated=true]").waitFor({ timeout: 30_000 });
  await page.waitForTimeout(500);
  let bytes = 0;
  const files = [];
  for (const r of requests.values()) {
    const body = Math.max(0, r.bytes - r.headerBytes);
    bytes += body;
    const file = r.url.replace(/^https?:\/\/[^/]+/, "").replace(/\?.*/, "");
    // What the page needs beyond the first load (the area's chunk and what it shares).
    if (/^\/pkg\/(split|chunk)_/.test(file)) files.push(`${file.slice(5).replace(/\.[0-9a-f]{16,}\./, ".")} ${body}`);
  }
  const ok = requests.size <= REQUESTS && bytes <= BYTES;
  if (!ok) over += 1;
  console.log(
    `${`${path} ${label}`.padEnd(22)} ${String(requests.size).padStart(8)} ${String(bytes).padStart(9)}  ${ok ? "within" : "OVER"}   ${files.join(", ")}`,
  );
  await context.close();
}
console.log(`pages over the target: ${over} of ${PAGES.length}`);
await browser.close();

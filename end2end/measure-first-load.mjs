// Loads a page in Chromium with an empty cache and lists what the server really sent: each
// request's Content-Encoding, Cache-Control and the bytes received (headers excluded), their
// sum against the 250 KB first-load budget, then what a second visit fetches again.
// Used by scripts/measure.sh (in Chinese, then in English); prints, never asserts.
import { chromium } from "@playwright/test";

const url = process.argv[2] ?? "http://127.0.0.1:3000/";
const BUDGET = 250 * 1024;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
// LOCALE=en-GB measures the English first visit (the browser's Accept-Language decides it).
const context = await browser.newContext({ locale: process.env.LOCALE ?? "zh-CN" });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send("Network.enable");
let requests = new Map();
let fromCache = new Set();
cdp.on("Network.responseReceived", (e) => {
  // An image drawn from a data: address in the page or the stylesheet is no request.
  if (e.response.url.startsWith("data:")) return;
  const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
  requests.set(e.requestId, {
    url: e.response.url.replace(/^https?:\/\/[^/]+/, ""),
    status: e.response.status,
    encoding: h["content-encoding"] ?? "-",
    cache: h["cache-control"] ?? "-",
    cached: e.response.fromDiskCache || e.response.fromMemoryCache || fromCache.has(e.requestId),
    headerBytes: e.response.encodedDataLength ?? 0,
    bytes: 0,
  });
});
cdp.on("Network.requestServedFromCache", (e) => {
  fromCache.add(e.requestId);
  const r = requests.get(e.requestId);
  if (r) r.cached = true;
});
cdp.on("Network.loadingFinished", (e) => {
  const r = requests.get(e.requestId);
  if (r) r.bytes = e.encodedDataLength;
});

async function visit(label) {
  requests = new Map();
  fromCache = new Set();
  await page.goto(url, { waitUntil: "networkidle" });
  await page.locator(".page[data-hydrated=true]").waitFor({ timeout: 30_000 });
  await page.waitForTimeout(500);
  let total = 0;
  let bodies = 0;
  let fetched = 0;
  console.log(`-- ${label}`);
  for (const r of requests.values()) {
    const wire = r.cached ? 0 : r.bytes;
    const body = r.cached ? 0 : Math.max(0, r.bytes - r.headerBytes);
    total += wire;
    bodies += body;
    if (!r.cached) fetched += 1;
    console.log(
      `${String(body).padStart(9)} B body ${String(wire).padStart(9)} B in all  ${String(r.status).padEnd(4)}${r.cached ? "cache" : r.encoding.padEnd(5)}  ${r.url}  [${r.cache}]`,
    );
  }
  console.log(`${label}: ${requests.size} requests, ${fetched} over the network, ${bodies} bytes of content (${total} bytes with the response headers)`);
  return bodies;
}

const first = await visit("first visit");
console.log(`first load on the wire: ${first} bytes of content; budget ${BUDGET} bytes (250 KB): ${first <= BUDGET ? "within" : "OVER"}`);
await visit("second visit (same browser)");
await browser.close();

// Shared by the Lighthouse scripts: the demo account 王建国 (README) passes the face check from
// a phone-sized second browser, as a citizen would (the development face provider), and makes a
// 加注 on his first certificate. Returns the desktop's session cookie, now face-checked (for
// 电子证照管理), and the copy's 核验码 (for a /verify/<code> page).
import { chromium, devices } from "@playwright/test";
import { DEMO_ID, DEMO_PASSWORD } from "./demo-session.mjs";

export async function demoCopy(base) {
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium" });
  try {
    const desktop = await browser.newContext({ locale: "zh-CN", baseURL: base });
    const page = await desktop.newPage();
    await login(page, "/login", "登录", true);
    await page.waitForURL(/\/user$/);
    await page.goto("/user/certificates");
    const scan = await page.locator(".qr-fallback a").getAttribute("href");
    await live(page);

    const phone = await browser.newContext({ ...devices["Pixel 7"], locale: "zh-CN", baseURL: base });
    const m = await phone.newPage();
    await m.goto(scan);
    await login(m, null, "登录", false);
    await m.waitForURL(/\/m\/scan\?t=/);
    await live(m);
    await m.getByRole("button", { name: "下一步" }).click();
    await m.getByRole("dialog").getByRole("button", { name: "允许" }).click();
    // The holder types their own 身份证号 before the check (compared with the account's).
    await m.getByLabel("本人身份证号").fill(DEMO_ID);
    await m.getByRole("button", { name: "开始人脸识别" }).click();
    await m.getByRole("heading", { name: "认证成功" }).waitFor();
    await phone.close();

    await page.waitForURL(/\/user\/certificates\/manage$/);
    await live(page);
    const card = page.getByRole("listitem").filter({ has: page.getByRole("button", { name: "证照加注" }) }).first();
    await card.getByRole("button", { name: "证照加注" }).click();
    const dialog = page.getByRole("dialog", { name: "证照加注" });
    await dialog.getByLabel("加注用途").fill("性能测量");
    await dialog.getByRole("button", { name: "加注", exact: true }).click();
    await card.getByText("加注成功!").waitFor();
    const src = await card.getByRole("img", { name: /证照预览/ }).getAttribute("src");
    const svg = await (await page.request.get(new URL(src, page.url()).href)).text();
    const code = /核验码 ([0-9a-f]{32})/.exec(svg)?.[1];
    if (!code) throw new Error("the copy's preview carries no 核验码");
    const session = (await desktop.cookies()).find((c) => c.name === "portal_session");
    if (!session) throw new Error("no session cookie after the face check");
    return { cookie: `${session.name}=${session.value}`, code };
  } finally {
    await browser.close();
  }
}

async function login(page, path, button, exact) {
  if (path) await page.goto(path);
  await live(page);
  await page.getByLabel("身份证号").fill(DEMO_ID);
  await page.getByLabel("密码", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: button, exact }).click();
}

/** Waits until the page is live (hydrated, its chunk included). */
async function live(page) {
  await page.locator('.page[data-hydrated="true"]').waitFor({ state: "attached" });
}

// Journey 4 (manual §6; FAQ 2, 3): 用户中心 → 【我的证照】 → the QR code; a phone-sized second
// browser signs in to the mini-program, opens the QR's address, 【下一步】, 【允许】,
// the 身份证号 (a wrong one is refused and counted), 【开始人脸识别】 → the provider's page →
// back to 认证成功 with 【返回 (2)】; the desktop moves on to 电子证照管理 by itself. Also:
// 【手动跳转】 with the event stream blocked, a phone of another person, expiry and refresh.
import { test, expect, expectAccessible, hydrated, registerPerson } from "./fixtures";
import { annotate, approveOnPhone, desktopLogin, openQr, phone, phoneLoginVia } from "./face";

// The spec's own citizen (his certificate gets a 加注 here): registered by the spec, not a
// demo account other specs sign in with.
const ZHANG = { name: "张志远", id: "330106198605120010", phone: "13700137101", password: "Zhang@2026" };
// Someone else with an account, whose phone scans 张志远's code; no other spec signs in as him.
const QIAN = { name: "钱学明", id: "110101198506120039", phone: "13700137108", password: "Qian@2026x" };

test.beforeEach(async ({ request }) => {
  await registerPerson(request, ZHANG);
});

test("face check on the phone; the desktop moves on to 电子证照管理 by itself", async ({ page, browser, pageErrors }) => {
  await desktopLogin(page, ZHANG.id, ZHANG.password);
  const url = await openQr(page);
  await page.getByRole("button", { name: "放大二维码" }).click();
  await expect(page.getByRole("button", { name: "缩小二维码" })).toHaveAttribute("aria-pressed", "true");

  const m = await phone(browser);
  await phoneLoginVia(m.page, url, ZHANG.id, ZHANG.password);
  await expect(m.page).toHaveURL(/\/m\/scan\?t=/);
  await expect(m.page.getByRole("heading", { name: "住房和城乡建设部政务服务门户" })).toBeVisible();
  await expect(m.page.getByText("申请时间")).toBeVisible();
  // Opening the address changes nothing; 【下一步】 scans the ticket.
  await expect(page.getByRole("status").filter({ hasText: "当前状态" })).toContainText("等待扫码");

  await hydrated(m.page);
  await m.page.getByRole("button", { name: "下一步" }).click();
  await expect(page.getByRole("status").filter({ hasText: "当前状态" })).toContainText(/已扫码|认证中/);
  await expectAccessible(page, "我的证照: the QR code, scanned");
  const sheet = m.page.getByRole("dialog");
  await expect(sheet).toContainText("住房和城乡建设部政务服务门户 申请使用人脸识别功能验证你的身份信息,请确保为本人操作");
  await sheet.getByRole("button", { name: "允许" }).click();
  await expect(page.getByRole("status").filter({ hasText: "当前状态" })).toContainText("认证中");
  await expectAccessible(m.page, "phone: the face step");
  // Another person's number: said at the field, before any provider is asked.
  await m.page.getByLabel("本人身份证号").fill("310104199007220044");
  await m.page.getByRole("button", { name: "开始人脸识别" }).click();
  await expect(m.page.getByRole("alert").filter({ hasText: "不一致" })).toContainText("还可输入4次");
  await expect(m.page.getByLabel("本人身份证号")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("status").filter({ hasText: "当前状态" })).toContainText("认证中");
  await m.page.getByLabel("本人身份证号").fill(ZHANG.id);
  await m.page.getByRole("button", { name: "开始人脸识别" }).click();
  await expect(m.page).toHaveURL(/\/m\/face-return\?ticket=[0-9a-f]+&token=/);
  await expect(m.page.getByRole("heading", { name: "认证成功" })).toBeVisible();
  await expect(m.page.getByText("恭喜你,完成了身份验证")).toBeVisible();
  await expect(m.page.getByRole("link", { name: /返回 \(\d\)/ })).toBeVisible();

  // The desktop went on by itself.
  await expect(page).toHaveURL(/\/user\/certificates\/manage$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("电子证照管理");
  await expect(page.getByRole("main")).toContainText("浙1332015000002");
  await hydrated(page);
  await expectAccessible(page, "电子证照管理");

  // Journey 5's first steps: 【证照加注】 → dialog → 【加注】 → 加注成功!
  await hydrated(page);
  const card = page.getByRole("listitem").filter({ hasText: "中华人民共和国一级建造师注册证书" });
  await expect(card).toContainText("未加注");
  await annotate(page, card, "投标使用");
  // The phone counted back to the mini-program's home.
  await expect(m.page).toHaveURL(/\/m$/, { timeout: 5_000 });
  // Within 30 minutes, 我的证照 leads straight to 电子证照管理.
  await page.goto("/user/certificates");
  await expect(page).toHaveURL(/\/user\/certificates\/manage$/);
  await m.context.close();
});

test("a visit to 我的证照 makes one QR code, and the page keeps it once live", async ({ page, pageErrors }) => {
  await desktopLogin(page, ZHANG.id, ZHANG.password);
  const asked: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("start_face_check")) asked.push(r.url());
  });
  // A full page load: the server renders the QR code; the browser takes the page over.
  await page.goto("/user/certificates");
  const shown = await page.locator(".qr-fallback a").getAttribute("href");
  expect(shown).toMatch(/\/m\/scan\?t=[0-9a-f]{64}$/);
  await hydrated(page);
  await page.waitForLoadState("networkidle");
  expect(asked, "the browser asked for no second QR code").toEqual([]);
  await expect(page.locator(".qr-fallback a")).toHaveAttribute("href", shown!);
  await expect(page.getByRole("status").filter({ hasText: "当前状态" })).toContainText("等待扫码");
  // The code shown is the one a phone can still use.
  const status = await page.request.get(`/api/face_ticket_status?ticket_id=${await ticketIdOf(page)}`);
  expect(status.status()).toBe(200);
  expect((await status.json()).state).toBe("Waiting");
});

/** The ticket id the page follows (its event stream's address). */
async function ticketIdOf(page: import("@playwright/test").Page): Promise<string> {
  const html = await page.content();
  // In the page's serialized data, quoted within a string.
  const id = html.match(/ticket_id\\?":\\?"([0-9a-f]{32})/)?.[1];
  expect(id, "the page's ticket").toBeTruthy();
  return id!;
}

test("【手动跳转】 moves on when the event stream is blocked", async ({ page, browser, pageErrors }) => {
  // No event stream at all, and no answers to the background polling either, until the
  // button is pressed: only 【手动跳转】 can move the page on.
  await page.route("**/api/face_events/**", (route) => route.abort());
  let manual = false;
  await page.route("**/api/face_ticket_status**", (route) => (manual ? route.continue() : route.abort()));
  await desktopLogin(page, ZHANG.id, ZHANG.password);
  const url = await openQr(page);
  manual = true;
  await page.getByRole("button", { name: "手动跳转" }).click();
  await expect(page.getByText("尚未收到认证结果,请先在手机上完成人脸识别")).toBeVisible();
  manual = false;

  const m = await phone(browser);
  await phoneLoginVia(m.page, url, ZHANG.id, ZHANG.password);
  await approveOnPhone(m.page, ZHANG.id);
  await m.context.close();

  await expect(page).toHaveURL(/\/user\/certificates$/);
  // Unblocked, 【手动跳转】 asks at once; the page's own poll (every 2 s) may get there first,
  // and then the button is gone as the page moves on: either way it moves on now.
  manual = true;
  await Promise.race([
    page.getByRole("button", { name: "手动跳转" }).click(),
    page.waitForURL(/\/user\/certificates\/manage$/),
  ]);
  await expect(page).toHaveURL(/\/user\/certificates\/manage$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("电子证照管理");
  // The blocked requests were this test's doing.
  const blocked = pageErrors.filter((e) => e.includes("net::ERR_FAILED"));
  expect(blocked.length).toBeGreaterThan(0);
  pageErrors.splice(0, pageErrors.length, ...pageErrors.filter((e) => !e.includes("net::ERR_FAILED")));
});

test("a phone signed in as someone else is refused on both screens; expiry and 刷新二维码", async ({ page, browser, request, pageErrors }) => {
  await desktopLogin(page, ZHANG.id, ZHANG.password);
  const url = await openQr(page);
  const m = await phone(browser);
  await registerPerson(request, QIAN);
  await phoneLoginVia(m.page, url, QIAN.id, QIAN.password);
  await expect(m.page.getByRole("alert").first()).toContainText("不是同一人");
  // Opening the link alone changed nothing on the desktop; telling it is an explicit step.
  await expect(page.getByRole("status").filter({ hasText: "当前状态" })).toContainText("等待扫码");
  await hydrated(m.page);
  await m.page.getByRole("button", { name: "通知电脑端并结束本次认证" }).click();
  await expect(page.getByRole("status").filter({ hasText: "当前状态" })).toContainText("认证失败");
  await expect(page.getByText(/不是同一人/)).toBeVisible();
  await expectAccessible(page, "我的证照: the QR code, failed");
  await expectAccessible(m.page, "phone: another person's ticket");
  // Replaying the dead ticket fails too.
  await m.page.goto(url);
  await expect(m.page.getByRole("alert").first()).toContainText(/不是同一人|已使用/);
  await m.context.close();

  // A fresh code, then let it expire: the page says so and offers a new one (FAQ 2).
  await page.getByRole("button", { name: "刷新二维码" }).click();
  await expect(page.getByRole("status").filter({ hasText: "当前状态" })).toContainText("等待扫码");
  const fresh = await page.locator(".qr-fallback a").getAttribute("href");
  expect(fresh).not.toBe(url);
  // Only this desktop session's tickets (other specs run beside this one).
  const expired = await page.request.post("/dev/face-tickets/expire");
  expect(expired.ok()).toBeTruthy();
  await expect(page.getByRole("status").filter({ hasText: "当前状态" })).toContainText("已过期");
  await expectAccessible(page, "我的证照: the QR code, expired");
  await page.getByRole("button", { name: "刷新二维码" }).click();
  await expect(page.getByRole("status").filter({ hasText: "当前状态" })).toContainText("等待扫码");
});

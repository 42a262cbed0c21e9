// The production path with the real clients (腾讯云短信 SendSms, 慧眼 IdCardVerification and
// FaceId H5, OCR 营业执照核验) against scripts/provider-sim, the portal in staging mode
// (scripts/staging-e2e.sh): registration with the SMS code the simulator received, the face
// check through the provider's own H5 page (【通过】), then 证照加注 and the PDF. Then the
// failure paths: the provider says 【不通过】, the provider is down, the wrong 身份证号 typed.
import { test, expect, hydrated } from "../tests/fixtures";
import { annotate, desktopLogin, openQr, phone, phoneLoginVia } from "../tests/face";
import type { Page } from "@playwright/test";
import { readFileSync } from "node:fs";

const SIM = process.env.SIM_URL ?? "http://127.0.0.1:3190";
const ZHANG = { name: "张志远", id: "330106198605120010", phone: "13700137201", password: "Zhang@2026" };

async function simMode(mode: string) {
  const res = await fetch(`${SIM}/_sim/mode`, { method: "POST", body: JSON.stringify({ mode }) });
  expect(res.ok).toBeTruthy();
}

/** The code of the last message the simulator's SMS received for `phone`. */
async function codeSentTo(phone: string): Promise<string> {
  const sent = (await (await fetch(`${SIM}/_sim/sms`)).json()) as { phone: string; params: string[] }[];
  const mine = sent.filter((m) => m.phone === `+86${phone}`);
  expect(mine.length, JSON.stringify(sent)).toBeGreaterThan(0);
  return mine[mine.length - 1].params[0];
}

/** The phone from the approval screen to the face step. */
async function toFaceStep(m: Page) {
  await hydrated(m);
  await m.getByRole("button", { name: "下一步" }).click();
  await m.getByRole("dialog").getByRole("button", { name: "允许" }).click();
  await expect(m.getByRole("button", { name: "开始人脸识别" })).toBeVisible();
}

test.describe.configure({ mode: "serial" });

test("registration with the SMS code the provider sent; face check through the provider's page; 加注 and PDF", async ({ page, browser, pageErrors }) => {
  await page.goto("/register");
  await hydrated(page);
  await page.getByLabel("姓名").fill(ZHANG.name);
  await page.getByLabel("身份证号").fill(ZHANG.id);
  await page.getByLabel("手机号").fill(ZHANG.phone);
  await page.getByRole("button", { name: "获取验证码" }).click();
  await expect(page.getByText("验证码已发送至 137****7201")).toBeVisible();
  await page.getByLabel("短信验证码").fill(await codeSentTo(ZHANG.phone));
  await page.getByLabel("设置密码").fill(ZHANG.password);
  await page.getByLabel("确认密码").fill(ZHANG.password);
  await page.getByRole("checkbox", { name: /我已阅读并同意/ }).check();
  await page.getByRole("button", { name: "注册", exact: true }).click();
  await expect(page).toHaveURL(/\/(user|login)/);

  await desktopLogin(page, ZHANG.id, ZHANG.password);
  const url = await openQr(page);
  const m = await phone(browser);
  await phoneLoginVia(m.page, url, ZHANG.id, ZHANG.password);
  await toFaceStep(m.page);
  await m.page.getByLabel("本人身份证号").fill(ZHANG.id);
  await m.page.getByRole("button", { name: "开始人脸识别" }).click();
  // The provider's own page (the simulator's FaceId H5), then back to the portal.
  await expect(m.page).toHaveURL(new RegExp(`^${SIM}/h5/faceid\\?token=`));
  await expect(m.page.getByRole("heading", { name: "人脸核身" })).toBeVisible();
  await m.page.getByRole("button", { name: "通过", exact: true }).click();
  await expect(m.page).toHaveURL(/\/m\/face-return\?ticket=[0-9a-f]+&token=/);
  await expect(m.page.getByRole("heading", { name: "认证成功" })).toBeVisible();
  await m.context.close();

  await expect(page).toHaveURL(/\/user\/certificates\/manage$/);
  await hydrated(page);
  const card = page.getByRole("listitem").filter({ hasText: "中华人民共和国一级建造师注册证书" });
  await annotate(page, card, "投标使用");
  await card.locator("figure").hover();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    card.getByRole("link", { name: "PDF下载" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^张志远_.*\.pdf$/);
  const bytes = readFileSync((await download.path())!);
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
});

test("the provider says 不通过, is down, or the wrong 身份证号 is typed: nothing passes", async ({ page, browser, pageErrors }) => {
  await desktopLogin(page, ZHANG.id, ZHANG.password);
  const status = page.getByRole("status").filter({ hasText: "当前状态" });

  // 不通过 on the provider's page.
  let url = await openQr(page);
  let m = await phone(browser);
  await phoneLoginVia(m.page, url, ZHANG.id, ZHANG.password);
  await toFaceStep(m.page);
  // A wrong number first: said at its field, before any provider is asked.
  await m.page.getByLabel("本人身份证号").fill("110105198003150039");
  await m.page.getByRole("button", { name: "开始人脸识别" }).click();
  await expect(m.page.getByRole("alert").filter({ hasText: "不一致" })).toBeVisible();
  await expect(m.page).toHaveURL(/\/m\/scan/);
  await m.page.getByLabel("本人身份证号").fill(ZHANG.id);
  await m.page.getByRole("button", { name: "开始人脸识别" }).click();
  await expect(m.page).toHaveURL(new RegExp(`^${SIM}/h5/faceid`));
  await m.page.getByRole("button", { name: "不通过" }).click();
  await expect(m.page.getByRole("heading", { name: "认证失败" })).toBeVisible();
  await expect(m.page.getByText("人脸识别未通过")).toBeVisible();
  await expect(status).toContainText("认证失败");
  await m.context.close();

  // The provider down: the phone says so, the desktop's ticket fails, nothing waits.
  await page.getByRole("button", { name: "刷新二维码" }).click();
  await expect(status).toContainText("等待扫码");
  url = (await page.locator(".qr-fallback a").getAttribute("href"))!;
  m = await phone(browser);
  await phoneLoginVia(m.page, url, ZHANG.id, ZHANG.password);
  await toFaceStep(m.page);
  await m.page.getByLabel("本人身份证号").fill(ZHANG.id);
  await simMode("5xx");
  try {
    await m.page.getByRole("button", { name: "开始人脸识别" }).click();
    await expect(m.page.getByRole("alert").filter({ hasText: "人脸核身服务暂时不可用" })).toBeVisible();
  } finally {
    await simMode("ok");
  }
  await expect(status).toContainText("认证失败");
  await expect(page.getByText(/人脸识别服务暂时不可用/)).toBeVisible();
  await m.context.close();
  // 电子证照管理 stays closed to this session.
  const gate = await page.request.get("/api/face_gate");
  expect(await gate.text()).toBe("false");
});

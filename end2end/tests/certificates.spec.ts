// Journey 5 (manual §6, 图 6-1-8 … 6-1-10) and journey 8: after the face check (desktop +
// phone), 电子证照管理 shows the certificate's preview; 【证照加注】 → dialog → 【加注】 →
// 加注成功!; hovering over the preview (or focusing it) offers 【PDF下载】 and 【OFD下载】, both
// download the copy; then anyone, without logging in, opens the copy's /verify page.
import { test, expect, expectAccessible, hydrated, registerPerson } from "./fixtures";
import { annotate, passFaceCheck } from "./face";
import { readFileSync } from "node:fs";

// The spec's own citizen (her certificate gets a 加注 and is downloaded here).
const SUN = { name: "孙丽娜", id: "320102199203080025", phone: "13700137102", password: "Sun@2026xy" };

test("加注, hover → PDF and OFD downloads, then the public verify page", async ({ page, browser, request, pageErrors }) => {
  await registerPerson(request, SUN);
  await passFaceCheck(page, browser, SUN.id, SUN.password);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("电子证照管理");
  await hydrated(page);

  const card = page.getByRole("listitem").filter({ hasText: "中华人民共和国注册监理工程师注册执业证书" });
  const preview = card.getByRole("img", { name: /证照预览/ });
  await expect(preview).toBeVisible();
  // The image really loaded (an SVG of the certificate's layout).
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  // No 加注 yet: nothing to download.
  await expect(card.getByRole("link", { name: "PDF下载" })).toHaveCount(0);
  const origin = new URL(page.url()).origin;
  const refused = await page.request.get(`${origin}/api/certificates/none/pdf`);
  expect(refused.status()).toBe(403);

  await annotate(page, card, "资质申报");

  // The buttons appear on hover, and on keyboard focus (their overlay's opacity).
  const pdf = card.getByRole("link", { name: "PDF下载" });
  const ofd = card.getByRole("link", { name: "OFD下载" });
  const overlay = card.locator(".cert-downloads");
  await page.mouse.move(0, 0);
  await expect(overlay).toHaveCSS("opacity", "0");
  await card.locator("figure").hover();
  await expect(overlay).toHaveCSS("opacity", "1");
  await expect(ofd).toBeVisible();
  await page.mouse.move(0, 0);
  await expect(overlay).toHaveCSS("opacity", "0");
  await card.locator("figure").focus();
  await expect(overlay).toHaveCSS("opacity", "1");

  await card.locator("figure").hover();
  const [pdfFile] = await Promise.all([page.waitForEvent("download"), pdf.click()]);
  expect(pdfFile.suggestedFilename()).toMatch(/^孙丽娜_注册监理工程师_JZ\d{8}[0-9A-F]{10}\.pdf$/);
  const pdfBytes = readFileSync((await pdfFile.path())!);
  expect(pdfBytes.subarray(0, 5).toString()).toBe("%PDF-");

  await card.locator("figure").hover();
  const [ofdFile] = await Promise.all([page.waitForEvent("download"), ofd.click()]);
  expect(ofdFile.suggestedFilename()).toMatch(/^孙丽娜_注册监理工程师_JZ\d{8}[0-9A-F]{10}\.ofd$/);
  const ofdBytes = readFileSync((await ofdFile.path())!);
  expect(ofdBytes.subarray(0, 2).toString()).toBe("PK");
  const copyNo = pdfFile.suggestedFilename().split("_")[2].replace(".pdf", "");

  // The copy's verification code, as printed under its QR code.
  const svg = await (await page.request.get(await preview.getAttribute("src").then((s) => new URL(s!, page.url()).href))).text();
  const code = /核验码 ([0-9a-f]{32})/.exec(svg)?.[1];
  expect(code).toBeTruthy();

  // 安全记录 lists the 加注 and both downloads.
  await page.goto("/user/security");
  const log = page.getByRole("table");
  await expect(log).toContainText("证照下载");
  await expect(log).toContainText(copyNo);
  await expect(log).toContainText("证照加注");

  // Anyone, not logged in, checks the copy.
  const stranger = await browser.newContext({ locale: "zh-CN" });
  const other = await stranger.newPage();
  // Home → 证照核验 → the 核验码 as printed (spaces and capitals are forgiven) → its page.
  await other.goto(`${origin}/`);
  await hydrated(other);
  await other.getByRole("region", { name: "热门服务" }).getByRole("link", { name: /^证照核验/ }).click();
  await expect(other.getByRole("heading", { level: 1 })).toHaveText("证照核验");
  await expectAccessible(other, "证照核验");
  await other.getByLabel("核验码").fill(` ${code!.toUpperCase().replace(/(.{8})/g, "$1 ")} `);
  await other.getByRole("button", { name: "核验" }).click();
  await expect(other).toHaveURL(new RegExp(`/verify/${code}$`));
  await expect(other.getByRole("heading", { level: 1 })).toHaveText("电子证照核验");
  await expectAccessible(other, "电子证照核验: genuine");
  await expect(other.getByRole("status").filter({ hasText: "副本真实有效" })).toBeVisible();
  await expect(other.getByRole("main")).toContainText("孙**");
  await expect(other.getByRole("main")).toContainText(copyNo);
  await expect(other.getByRole("main")).toContainText("注册监理工程师");
  await expect(other.getByRole("main")).not.toContainText("孙丽娜");
  // A forged code is told apart.
  await other.goto(`${origin}/verify/${"0".repeat(32)}`);
  await expect(other.getByRole("status").filter({ hasText: "未找到该电子证照副本" })).toBeVisible();
  await stranger.close();
  void pageErrors;
});

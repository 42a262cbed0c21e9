// Issue 30: a foreign professional, in English, with a 外国人永久居留身份证 (2023 card), from the
// search to a downloaded copy. The certificate and its copy stay Chinese as issued; the pages
// around them speak English.
import { test, expect, expectAccessible, hydrated, latestCode } from "./fixtures";
import { devices, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";

// MILLER DAVID of the demo registry (README): no account until this spec registers one.
const MILLER = { name: "MILLER DAVID", id: "911840198006150015", phone: "13700137107", password: "Miller@2026" };
const CARD = "Foreign Permanent Resident ID Card";

async function document(page: Page, number: string) {
  await page.getByLabel("Identity document").selectOption({ label: CARD });
  await page.getByLabel("Permanent residence card number").fill(number);
}

test("a foreign professional in English: search, register, face check, annotate and download", async ({ browser, request }) => {
  const context = await browser.newContext({ locale: "en-GB" });
  const page = await context.newPage();

  // The register, searched by the card.
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("link", { name: /^Search the register/ }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Search the register");
  await hydrated(page);
  await document(page, MILLER.id);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: /result/ })).toHaveText("1 result");
  await expectAccessible(page, "search results in English");
  const results = page.getByRole("table");
  await expect(results.getByRole("columnheader")).toHaveText(["No.", "Name", "Document number", "Category", "Registration (seal) number", "Specialties"]);
  await expect(results).toContainText("一级注册建造师 (Class 1 Registered Constructor)");
  await results.getByRole("link", { name: MILLER.name }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(MILLER.name);
  await expect(page.getByRole("main")).toContainText(`外国人永久居留身份证 (${CARD}) 911840********0015`);
  await expectAccessible(page, "a registration in English");

  // Registered before (the spec ran on this database already)? Then only what follows.
  const probe = await request.post("/api/login", {
    headers: { accept: "application/json" },
    form: { kind: "person", id_kind: "permanent_residence", login_id: MILLER.id, password: MILLER.password },
    maxRedirects: 0,
  });
  if (probe.status() >= 400) {
    await page.goto("/register");
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Register as a person");
    await page.getByLabel("Full name (as on your document)").fill(MILLER.name);
    await document(page, MILLER.id);
    await page.getByLabel("Mobile phone number").fill(MILLER.phone);
    await page.getByRole("button", { name: "Send code" }).click();
    await expect(page.getByText(/^Code sent to 137\*\*\*\*7107/)).toBeVisible();
    await page.getByLabel("Text message code").fill(await latestCode(request, MILLER.phone));
    // The text message is in English too (the development outbox keeps it as sent).
    const outbox = await (await request.get(`/dev/sms-outbox?phone=${MILLER.phone}`)).json();
    expect(outbox[0].text).toMatch(/^【住建部政务服务】Your code to create your account is \d{6}\. It expires in 5 minutes\./);
    await page.getByLabel("Create a password").fill(MILLER.password);
    await page.getByLabel("Type the password again").fill(MILLER.password);
    await page.getByRole("checkbox", { name: /I have read and agree/ }).check();
    await expectAccessible(page, "registration in English");
    await page.getByRole("button", { name: "Register", exact: true }).click();
    await expect(page).toHaveURL(/\/login\?registered=person/);
    await expect(page.getByText("Your account is ready.")).toBeVisible();
  }

  // Sign in and open the QR page.
  await page.goto("/login");
  await hydrated(page);
  await document(page, MILLER.id);
  await page.getByLabel("Password", { exact: true }).fill(MILLER.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/user$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your account");
  await page.getByRole("navigation", { name: "Your account" }).getByRole("link", { name: "Your certificates", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Face check");
  await hydrated(page);
  await expect(page.getByRole("status").filter({ hasText: "Status:" })).toContainText("waiting for a scan");
  await expectAccessible(page, "the QR page in English");
  const url = await page.locator(".qr-fallback a").getAttribute("href");

  // The phone, in English too.
  const phone = await browser.newContext({ ...devices["Pixel 7"], locale: "en-GB" });
  const m = await phone.newPage();
  await m.goto(url!);
  await expect(m).toHaveURL(/\/m\/login\?next=/);
  await hydrated(m);
  await expect(m.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  await document(m, MILLER.id);
  await m.getByLabel("Password", { exact: true }).fill(MILLER.password);
  await m.getByRole("button", { name: "Sign in" }).click();
  await expect(m).toHaveURL(/\/m\/scan\?t=/);
  await hydrated(m);
  await m.getByRole("button", { name: "Next" }).click();
  await m.getByRole("dialog").getByRole("button", { name: "Allow" }).click();
  await m.getByLabel("Your permanent residence card number").fill(MILLER.id);
  await expectAccessible(m, "the phone's face step in English");
  await m.getByRole("button", { name: "Start the face check" }).click();
  await expect(m.getByRole("heading", { name: "Check passed" })).toBeVisible();
  await phone.close();

  // 加注 and the download: the copy is Chinese, the page around it English.
  await expect(page).toHaveURL(/\/user\/certificates\/manage$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Manage your certificates");
  await hydrated(page);
  const card = page.getByRole("listitem").filter({ hasText: "一级注册建造师" });
  if (!(await card.getByRole("link", { name: "Download PDF" }).count())) {
    await card.getByRole("button", { name: "Annotate" }).click();
    const dialog = page.getByRole("dialog", { name: "Annotate" });
    await expect(dialog.getByLabel("Purpose (printed on the copy)")).toBeVisible();
    await expectAccessible(page, "the annotation dialog in English");
    await dialog.getByRole("button", { name: "Annotate", exact: true }).click();
    await expect(card.getByText("Annotated. The copy is ready to download.")).toBeVisible();
  }
  await expect(card).toContainText(/Annotated copy valid until \d{4}-\d{2}-\d{2}/);
  await card.locator("figure").hover();
  const [pdf] = await Promise.all([page.waitForEvent("download"), card.getByRole("link", { name: "Download PDF" }).click()]);
  expect(readFileSync((await pdf.path())!).subarray(0, 5).toString()).toBe("%PDF-");
  await expectAccessible(page, "certificates in English");
  await context.close();
});

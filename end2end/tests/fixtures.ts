// Shared test helpers: every page is checked for uncaught errors, and waits for hydration.
import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";

export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));
    page.on("console", (msg) => {
      // Chromium logs every non-2xx fetch; 401/422/429 are the portal's answers to a missing
      // session, a wrong field and too many requests, which the tests provoke on purpose.
      const expected = /Failed to load resource: the server responded with a status of (401|422|429)/;
      if (msg.type() === "error" && !expected.test(msg.text())) errors.push(msg.text());
    });
    await use(errors);
    expect(errors, "the page raised errors").toEqual([]);
  },
});

/** Waits until the WASM has hydrated the server-rendered page. */
export async function hydrated(page: Page): Promise<void> {
  await expect(page.locator(".page")).toHaveAttribute("data-hydrated", "true");
}

export { expect };

/** The newest SMS code sent to `phone`, from GET /dev/sms-outbox. */
export async function latestCode(request: APIRequestContext, phone: string): Promise<string> {
  let code = "";
  await expect(async () => {
    const res = await request.get(`/dev/sms-outbox?phone=${phone}`);
    expect(res.ok()).toBeTruthy();
    const messages: { phone: string; text: string; sent_at: string }[] = await res.json();
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0].phone).toBe(phone);
    // Chinese, or English when an English page asked for it.
    code = /(?:验证码为|Your code to [a-z ]+ is) (\d{6})/.exec(messages[0].text)?.[1] ?? "";
    expect(code).toMatch(/^\d{6}$/);
  }).toPass();
  return code;
}

/** axe-core 4.14 on the page as it stands: no violation of WCAG 2.2 A/AA or axe's best
 * practices. `what` names the page and state in the failure. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const { default: AxeBuilder } = await import("@axe-core/playwright");
  // The page as the visitor meets it: titled, its heading shown. A page still arriving is
  // looked at again: a client-side navigation that has begun but not yet drawn the new page,
  // or a lazily loaded page whose code is on its way (it sets its title and heading when it
  // comes), showed axe a page between two — no heading, no title — in about one run in three.
  // A violation that stays fails after 10 s.
  await expect(async () => {
    await expect(page).toHaveTitle(/\S/, { timeout: 2_000 });
    await expect(page.locator("h1").first()).toBeVisible({ timeout: 2_000 });
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"])
      .analyze();
    const found = results.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
    );
    expect(found, `axe violations on ${what}`).toEqual([]);
  }).toPass({ timeout: 10_000 });
}

/** Registers a personal account through the same server functions the registration form
 * uses (the code read from the development outbox), so a spec that changes an account makes
 * its own instead of changing a demo account another spec relies on. */
/** A citizen a spec registers for itself (known to the development identity source). */
export type Person = { name: string; id: string; phone: string; password: string };

/** Registers `person` through the same server functions the form uses, with the code from
 * the SMS outbox, unless it is registered already. */
export async function registerPerson(request: APIRequestContext, person: Person): Promise<void> {
  // Registered before (the spec ran on this database already): its password signs in.
  const probe = await request.post("/api/login", {
    headers: { accept: "application/json" },
    form: { kind: "person", login_id: person.id, password: person.password },
    maxRedirects: 0,
  });
  if (probe.status() < 400) return;
  const sent = await request.post("/api/send_sms_code", { form: { purpose: "register", phone: person.phone } });
  expect(sent.ok(), await sent.text()).toBeTruthy();
  const { ticket } = await sent.json();
  const registered = await request.post("/api/register_person", {
    headers: { accept: "application/json" },
    form: {
      name: person.name,
      id_number: person.id,
      phone: person.phone,
      sms_code: await latestCode(request, person.phone),
      sms_ticket: ticket,
      password: person.password,
      password_confirm: person.password,
      consent: "on",
    },
  });
  expect(registered.ok(), await registered.text()).toBeTruthy();
}

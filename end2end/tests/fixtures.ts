// Shared test helpers: every page is checked for uncaught errors, and waits for hydration.
import { test as base, expect, type Page } from "@playwright/test";

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

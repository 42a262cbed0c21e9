// Shared test helpers: every page is checked for uncaught errors, and waits for hydration.
import { test as base, expect, type Page } from "@playwright/test";

export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));
    page.on("console", (msg) => {
      if (msg.type() === "error") errors.push(msg.text());
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

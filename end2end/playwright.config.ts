import { defineConfig, devices } from "@playwright/test";

// The portal under test: `cargo leptos end-to-end` starts it on site-addr (127.0.0.1:3000);
// PORTAL_URL points the tests elsewhere.
export const baseURL = process.env.PORTAL_URL ?? "http://127.0.0.1:3000";

// The specs that sign in as 王建国 (the demo holder) or 李娜.
const SHARED_PEOPLE = /(a11y|keyboard|shell|credentials|face-check)\.spec\.ts$/;

export default defineConfig({
  testDir: "./tests",
  globalSetup: "./global-setup.ts",
  // Debug WASM on two cores: a page of many axe checks or downloads takes 20–35 s.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // Two browsers beside the server on two cores (E2E_WORKERS overrides). A sign-in ends the
  // person's other session, so the specs that sign in as the same demo person share one
  // project that runs one spec at a time; every other spec registers its own person.
  workers: Number(process.env.E2E_WORKERS ?? 2),
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "zh-CN",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "demo-people", testMatch: SHARED_PEOPLE, workers: 1, use: { ...devices["Desktop Chrome"] } },
    { name: "chromium", testIgnore: SHARED_PEOPLE, use: { ...devices["Desktop Chrome"] } },
  ],
});

import { defineConfig, devices } from "@playwright/test";

// The portal under test: `cargo xtask e2e` (make e2e) starts it on site-addr (127.0.0.1:3000);
// PORTAL_URL points the tests elsewhere.
export const baseURL = process.env.PORTAL_URL ?? "http://127.0.0.1:3000";

// Specs that sign in as the same demo person: a sign-in ends that person's other session, so
// each group is a project that runs one spec at a time.
const AS_WANG = /(a11y|shell)\.spec\.ts$/; // 王建国, the demo holder
const AS_LI = /(keyboard|credentials)\.spec\.ts$/; // 李秀英

export default defineConfig({
  testDir: "./tests",
  globalSetup: "./global-setup.ts",
  // Debug WASM on two cores: a page of many axe checks or downloads takes 20–35 s.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // Three browsers beside the server on two cores (E2E_WORKERS overrides): one per group of
  // specs below that shares a demo person, the rest wherever a worker is free. Every other spec
  // registers its own person.
  workers: Number(process.env.E2E_WORKERS ?? 3),
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
    { name: "as-wang", testMatch: AS_WANG, workers: 1, use: { ...devices["Desktop Chrome"] } },
    { name: "as-li", testMatch: AS_LI, workers: 1, use: { ...devices["Desktop Chrome"] } },
    { name: "chromium", testIgnore: [AS_WANG, AS_LI], use: { ...devices["Desktop Chrome"] } },
  ],
});

import { defineConfig, devices } from "@playwright/test";
import base from "./playwright.config";

// The production path on one machine (scripts/staging-e2e.sh): the portal in staging mode with
// the real clients of every outside service, pointed at scripts/provider-sim. PORTAL_URL is
// the staging portal, SIM_URL the simulator.
export default defineConfig({
  ...base,
  testDir: "./staging",
  globalSetup: "./global-setup.ts",
  workers: 1,
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
});

// Playwright starts as the server does (cargo xtask e2e): wait for /healthz.
import { baseURL } from "./playwright.config";

export default async function globalSetup(): Promise<void> {
  const deadline = Date.now() + 180_000;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseURL}/healthz`);
      if (res.ok) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`portal did not become healthy at ${baseURL}: ${last}`);
}

// Browser-test support: Debian's Chromium through playwright-core; one browser per file, one context per test.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { TestContext } from "node:test";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from "playwright-core";
import { REPO_ROOT } from "./server.ts";

export const RESULTS_DIR = join(REPO_ROOT, "test-results");

/** Never downloads a browser: the system's Chromium, with everything that phones home switched off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.LK_CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = name
    .replace(/[^\p{L}\p{N}._-]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 120);
  return join(RESULTS_DIR, `${file || "screenshot"}.png`);
}

/**
 * Runs `work` in a fresh context (no cookies shared with other tests) and, when it fails, saves what the page
 * showed to test-results/<test name>.png before passing the failure on.
 */
export async function withPage(
  t: TestContext,
  browser: Browser,
  work: (page: Page, context: BrowserContext) => Promise<void>,
  options: BrowserContextOptions = {},
): Promise<void> {
  const context = await browser.newContext({ locale: "ru-RU", ...options });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  try {
    await work(page, context);
  } catch (error) {
    for (const [index, open] of context.pages().entries()) {
      const suffix = index === 0 ? "" : `-${index}`;
      await open
        .screenshot({ path: screenshotPath(`${t.name}${suffix}`), fullPage: true })
        .catch(() => undefined);
    }
    throw error;
  } finally {
    await context.close();
  }
}

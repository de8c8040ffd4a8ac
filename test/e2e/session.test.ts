// Idle timeout (LK_SESSION_IDLE, PCI DSS 8.2.8) seen from the browser: the cabinet closes, sign-in says why
// and brings the person back to where they were.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchBrowser, withPage } from "./support/browser.ts";
import { seedUser } from "./support/database.ts";
import { assertInCabinet, pathOf, signIn, submitSignIn, textOf } from "./support/pages.ts";
import { type RunningServer, startServer } from "./support/server.ts";

const IDLE_SECONDS = 2;
let server: RunningServer;
let browser: Browser;

before(async () => {
  [server, browser] = await Promise.all([
    startServer({ env: { LK_SESSION_IDLE: `${IDLE_SECONDS}s` } }),
    launchBrowser(),
  ]);
});

after(async () => {
  await Promise.all([browser?.close(), server?.stop()]);
});

test("an idle session ends: the next page is sign-in with the expiry notice, then back to that page", async (t) => {
  const user = await seedUser(server.databaseUrl);
  await withPage(t, browser, async (page) => {
    await signIn(page, server.url, user);
    await assertInCabinet(page, user);
    await page.waitForTimeout(IDLE_SECONDS * 1000 + 1000);
    await page.goto(`${server.url}/settings`);
    assert.equal(new URL(page.url()).pathname, "/sign-in");
    assert.equal(await textOf(page, "notice"), "Сеанс завершен из-за отсутствия активности. Войдите снова.");
    assert.equal(await page.getByTestId("user-name").count(), 0);
    await submitSignIn(page, user);
    assert.equal(pathOf(page), "/settings");
    await assertInCabinet(page, user);
  });
});

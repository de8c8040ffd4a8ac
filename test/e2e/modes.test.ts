// Test and production instances: «Тестовый режим» on every page of a test instance, nothing of it in production.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchBrowser, withPage } from "./support/browser.ts";
import { seedUser } from "./support/database.ts";
import { assertInCabinet, assertSignInRefused, pathOf, RU, signIn, textOf } from "./support/pages.ts";
import { findFreePort, type RunningServer, startServer } from "./support/server.ts";

let browser: Browser;
let production: RunningServer;

before(async () => {
  // A closed port: production refuses to start without SMTP, but these pages send no mail.
  const smtpPort = await findFreePort();
  [browser, production] = await Promise.all([
    launchBrowser(),
    startServer({
      env: (port) => ({
        LK_MODE: "production",
        LK_PUBLIC_URL: `http://127.0.0.1:${port}`,
        LK_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      }),
    }),
  ]);
});

after(async () => {
  await Promise.all([browser?.close(), production?.stop()]);
});

describe("production instance", () => {
  test("the sign-in page has no test-mode marker and is sent with HSTS", async (t) => {
    await withPage(t, browser, async (page) => {
      const response = await page.goto(`${production.url}/sign-in`);
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), RU.heading);
      assert.equal(await page.getByTestId("test-mode").count(), 0);
      assert.equal(await page.getByText(RU.testMode).count(), 0);
      assert.match(response?.headers()["strict-transport-security"] ?? "", /max-age=\d+/);
      assert.match(response?.headers()["content-security-policy"] ?? "", /default-src 'none'/);
    });
  });

  test("signing in works and the cabinet has no test-mode marker", async (t) => {
    const user = await seedUser(production.databaseUrl);
    await withPage(t, browser, async (page) => {
      await signIn(page, production.url, user);
      assert.equal(pathOf(page), "/");
      await assertInCabinet(page, user);
      assert.equal(await page.getByTestId("test-mode").count(), 0);
      assert.equal(await page.getByText(RU.testMode).count(), 0);
    });
  });

  test("a refused sign-in shows the seed's sentence and no marker", async (t) => {
    await withPage(t, browser, async (page) => {
      await signIn(page, production.url, { login: "nobody_here_e2e", password: "Passw0rd1234" });
      await assertSignInRefused(page);
      assert.equal(await page.getByTestId("test-mode").count(), 0);
    });
  });

  test("no demo administrator is created in production", async () => {
    assert.equal(
      production.logs.some((line) => line.includes("oneTimePassword")),
      false,
    );
  });
});

describe("test instance", () => {
  test("the marker is on the sign-in page, the cabinet and the recovery page; no HSTS", async (t) => {
    const server = await startServer();
    try {
      const user = await seedUser(server.databaseUrl);
      await withPage(t, browser, async (page) => {
        const response = await page.goto(`${server.url}/sign-in`);
        assert.equal(await textOf(page, "test-mode"), RU.testMode);
        assert.equal(response?.headers()["strict-transport-security"], undefined);
        await page.goto(`${server.url}/recovery`);
        assert.equal(await textOf(page, "test-mode"), RU.testMode);
        await signIn(page, server.url, user);
        await assertInCabinet(page, user);
        assert.equal(await textOf(page, "test-mode"), RU.testMode);
        await page.goto(`${server.url}/settings`);
        assert.equal(await textOf(page, "test-mode"), RU.testMode);
      });
    } finally {
      await server.stop();
    }
  });
});

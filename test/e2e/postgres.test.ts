// The same browser flows on PostgreSQL (production's database): sign in, refusal, sign out.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchBrowser, screenshotPath, withPage } from "./support/browser.ts";
import { seedUser } from "./support/database.ts";
import {
  assertInCabinet,
  assertSignInRefused,
  pathOf,
  RU,
  signIn,
  signOut,
  submitSignIn,
  textOf,
} from "./support/pages.ts";
import { type RunningServer, startServer } from "./support/server.ts";

let server: RunningServer;
let browser: Browser;

before(async () => {
  [server, browser] = await Promise.all([startServer({ dialect: "postgres" }), launchBrowser()]);
});

after(async () => {
  await Promise.all([browser?.close(), server?.stop()]);
});

test("the server runs on a throwaway PostgreSQL database", () => {
  assert.match(server.databaseUrl, /^postgres:\/\/.*\/lk_e2e_[0-9a-f]+$/);
});

test("sign-in, a refusal, the cabinet and sign-out on PostgreSQL", async (t) => {
  const user = await seedUser(server.databaseUrl, { language: "ru" });
  await withPage(t, browser, async (page) => {
    await signIn(page, server.url, { login: user.login, password: "Wrong0password" });
    await assertSignInRefused(page);
    await page.goto(`${server.url}/settings`);
    await submitSignIn(page, user);
    assert.equal(pathOf(page), "/settings");
    await assertInCabinet(page, user);
    await page.goto(`${server.url}/`);
    await page.screenshot({ path: screenshotPath("home-page-postgres"), fullPage: true });
    await signOut(page);
    assert.equal(await textOf(page, "notice"), RU.signedOut);
    await page.goto(`${server.url}/`);
    assert.equal(new URL(page.url()).pathname, "/sign-in");
  });
});

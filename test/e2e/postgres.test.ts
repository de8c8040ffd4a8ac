// The same browser flows on PostgreSQL (production's database): sign in, refusal, sign out, password recovery.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { linkIn, type SmtpCatcher, startSmtpCatcher } from "../../src/testing/smtp-catcher.ts";
import { launchBrowser, screenshotPath, withPage } from "./support/browser.ts";
import { seedUser } from "./support/database.ts";
import {
  assertInCabinet,
  assertSignInRefused,
  pathOf,
  RECOVERY_RU,
  RU,
  signIn,
  signOut,
  submitNewPassword,
  submitRecovery,
  submitSignIn,
  textOf,
} from "./support/pages.ts";
import { type RunningServer, startServer } from "./support/server.ts";

let server: RunningServer;
let browser: Browser;
let catcher: SmtpCatcher;

before(async () => {
  catcher = await startSmtpCatcher();
  [server, browser] = await Promise.all([
    startServer({
      dialect: "postgres",
      env: (port) => ({ LK_SMTP_URL: catcher.url, LK_PUBLIC_URL: `http://127.0.0.1:${port}` }),
    }),
    launchBrowser(),
  ]);
});

after(async () => {
  await Promise.all([browser?.close(), server?.stop()]);
  await catcher?.stop();
});

test("the server runs on a throwaway PostgreSQL database", () => {
  assert.match(server.databaseUrl, /^postgres:\/\/.*\/lk_test_[0-9a-f]+$/);
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

test("«Забыли пароль?» through the mailed link to the cabinet on PostgreSQL", async (t) => {
  const user = await seedUser(server.databaseUrl, { language: "ru" });
  await withPage(t, browser, async (page) => {
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole("link", { name: RU.forgot, exact: true }).click();
    await submitRecovery(page, { login: user.login, email: user.email });
    assert.equal(await textOf(page, "notice"), RECOVERY_RU.sent);

    const mail = await catcher.waitForMail(
      (m) =>
        m.to.some((to) => to.toLowerCase() === user.email.toLowerCase()) &&
        m.subject === RECOVERY_RU.resetMailSubject,
      15_000,
    );
    assert.ok(mail.text.includes(RECOVERY_RU.resetMailValidity), mail.text);
    await page.goto(linkIn(mail, "/recovery/reset/"));
    const newPassword = "Postgres2Reset";
    await submitNewPassword(page, { password: newPassword });
    assert.equal(pathOf(page), "/sign-in?notice=password-changed");
    assert.equal(await textOf(page, "notice"), RECOVERY_RU.passwordChanged);

    await submitSignIn(page, { login: user.login, password: newPassword });
    assert.equal(pathOf(page), "/");
    await assertInCabinet(page, user);
  });
});

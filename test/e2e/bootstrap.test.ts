// Bootstrap: an empty test instance creates `admin` with a one-time password printed once to the log,
// which must be replaced at the first sign-in before any section opens.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchBrowser, withPage } from "./support/browser.ts";
import {
  assertFormAccepted,
  assertInCabinet,
  pathOf,
  signIn,
  signOut,
  submitSignIn,
} from "./support/pages.ts";
import { jsonLogs, type RunningServer, startServer } from "./support/server.ts";

let server: RunningServer;
let browser: Browser;

before(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});

after(async () => {
  await Promise.all([browser?.close(), server?.stop()]);
});

function oneTimePassword(): string {
  const entries = jsonLogs(server.logs).filter((entry) => typeof entry.oneTimePassword === "string");
  assert.equal(entries.length, 1, "the one-time password is printed exactly once");
  const entry = entries[0]!;
  assert.equal(entry.login, "admin");
  // The human-readable message carries it too, for someone reading the log by eye.
  assert.ok(String(entry.msg).includes(String(entry.oneTimePassword)));
  return String(entry.oneTimePassword);
}

test("admin signs in with the logged one-time password, must set a new one, then reaches the cabinet", async (t) => {
  const password = oneTimePassword();
  await withPage(t, browser, async (page) => {
    await signIn(page, server.url, { login: "admin", password });
    assert.equal(pathOf(page), "/password/change-required");

    // No section opens before the password is changed.
    await page.goto(`${server.url}/`);
    assert.equal(pathOf(page), "/password/change-required");
    await page.goto(`${server.url}/settings`);
    assert.equal(pathOf(page), "/password/change-required");

    const newPassword = "NewAdmin2026pw";
    await page.getByLabel("Новый пароль", { exact: true }).fill(newPassword);
    await page.getByLabel("Повторите новый пароль", { exact: true }).fill(newPassword);
    const [saved] = await Promise.all([
      page.waitForNavigation({ waitUntil: "load" }),
      page.getByRole("button", { name: "Сохранить", exact: true }).click(),
    ]);
    await assertFormAccepted(page, saved?.status());
    assert.equal(pathOf(page), "/");
    await assertInCabinet(page, { fullName: "Administrator", enterprise: "Demo shop" });

    // Out and in again: the new password works and no change is asked for any more.
    await signOut(page);
    await submitSignIn(page, { login: "admin", password: newPassword });
    assert.equal(pathOf(page), "/");
  });
  await withPage(t, browser, async (page) => {
    // The one-time password is spent.
    await signIn(page, server.url, { login: "admin", password });
    assert.equal(new URL(page.url()).pathname, "/sign-in");
    assert.equal(await page.getByTestId("error").count(), 1);
  });
});

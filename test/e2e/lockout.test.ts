// PCI DSS 8.3.4 lockout, seen from the browser: a locked account gets the seed's one failure sentence.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchBrowser, withPage } from "./support/browser.ts";
import { seedUser } from "./support/database.ts";
import { waitForOutboxMail } from "./support/outbox.ts";
import { assertInCabinet, assertSignInRefused, pathOf, signIn, submitSignIn } from "./support/pages.ts";
import { type RunningServer, startServer } from "./support/server.ts";

let server: RunningServer;
let browser: Browser;

before(async () => {
  [server, browser] = await Promise.all([
    startServer({ env: { LK_LOCKOUT_THRESHOLD: "2", LK_LOCKOUT_DURATION: "30m" } }),
    launchBrowser(),
  ]);
});

after(async () => {
  await Promise.all([browser?.close(), server?.stop()]);
});

test("after two wrong passwords the right one is refused with the same sentence, and the owner is told", async (t) => {
  const user = await seedUser(server.databaseUrl, { language: "ru" });
  await withPage(t, browser, async (page) => {
    await signIn(page, server.url, { login: user.login, password: "Wrong0password1" });
    await assertSignInRefused(page);
    await submitSignIn(page, { login: user.login, password: "Wrong0password2" });
    await assertSignInRefused(page);
    await submitSignIn(page, user);
    await assertSignInRefused(page);
    await page.goto(`${server.url}/`);
    assert.equal(new URL(page.url()).pathname, "/sign-in");
  });
  // The lock mail goes to the owner, in the owner's language, through the outbox (no SMTP configured).
  const mail = await waitForOutboxMail(server.outboxDir, (m) => m.to.includes(user.email));
  assert.equal(mail.subject, "Учетная запись временно заблокирована");
});

test("one wrong password below the threshold does not lock, and a success resets the count", async (t) => {
  const user = await seedUser(server.databaseUrl);
  await withPage(t, browser, async (page) => {
    await signIn(page, server.url, { login: user.login, password: "Wrong0password1" });
    await assertSignInRefused(page);
    await submitSignIn(page, user);
    assert.equal(pathOf(page), "/");
    await assertInCabinet(page, user);
  });
  await withPage(t, browser, async (page) => {
    // Had the earlier failure still counted, this one would lock the account.
    await signIn(page, server.url, { login: user.login, password: "Wrong0password2" });
    await assertSignInRefused(page);
    await submitSignIn(page, user);
    assert.equal(pathOf(page), "/");
    await assertInCabinet(page, user);
  });
});

test("locking one account leaves the others alone", async (t) => {
  const locked = await seedUser(server.databaseUrl);
  const other = await seedUser(server.databaseUrl);
  await withPage(t, browser, async (page) => {
    await signIn(page, server.url, { login: locked.login, password: "Wrong0password1" });
    await submitSignIn(page, { login: locked.login, password: "Wrong0password2" });
    await submitSignIn(page, other);
    assert.equal(pathOf(page), "/");
    await assertInCabinet(page, other);
  });
});

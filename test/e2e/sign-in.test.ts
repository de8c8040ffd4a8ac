// Seed, «Авторизация»: the sign-in page, its one failure sentence, sign-out and the way back into the cabinet.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchBrowser, screenshotPath, withPage } from "./support/browser.ts";
import { runLk, seedUser, setUserStatus } from "./support/database.ts";
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
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});

after(async () => {
  await Promise.all([browser?.close(), server?.stop()]);
});

describe("sign-in page", () => {
  test("shows the seed's heading, the «Логин» and «Пароль» fields, «Войти» and «Забыли пароль?»", async (t) => {
    await withPage(t, browser, async (page) => {
      await page.goto(`${server.url}/sign-in`);
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), RU.heading);
      assert.equal(await page.getByLabel(RU.login, { exact: true }).getAttribute("type"), "text");
      assert.equal(await page.getByLabel(RU.password, { exact: true }).getAttribute("type"), "password");
      assert.equal(await page.getByRole("button", { name: RU.submit, exact: true }).count(), 1);
      const forgot = page.getByRole("link", { name: RU.forgot, exact: true });
      assert.equal(await forgot.getAttribute("href"), "/recovery");
      assert.equal(await textOf(page, "test-mode"), RU.testMode);
      await page.screenshot({ path: screenshotPath("sign-in-page"), fullPage: true });
    });
  });

  test("«Забыли пароль?» leads to the recovery page", async (t) => {
    await withPage(t, browser, async (page) => {
      await page.goto(`${server.url}/sign-in`);
      await Promise.all([
        page.waitForURL(`${server.url}/recovery`),
        page.getByRole("link", { name: RU.forgot }).click(),
      ]);
    });
  });
});

describe("signing in", () => {
  test("the right login and password open the cabinet with the user's name and enterprise", async (t) => {
    const user = await seedUser(server.databaseUrl);
    await withPage(t, browser, async (page) => {
      await signIn(page, server.url, user);
      assert.equal(pathOf(page), "/");
      await assertInCabinet(page, user);
      assert.equal(await textOf(page, "test-mode"), RU.testMode);
      await page.screenshot({ path: screenshotPath("home-page"), fullPage: true });
    });
  });

  test("the login is case-insensitive", async (t) => {
    const user = await seedUser(server.databaseUrl);
    await withPage(t, browser, async (page) => {
      await signIn(page, server.url, { login: user.login.toUpperCase(), password: user.password });
      assert.equal(pathOf(page), "/");
      await assertInCabinet(page, user);
    });
  });
});

describe("refused sign-ins all get the seed's sentence", () => {
  test("wrong password", async (t) => {
    const user = await seedUser(server.databaseUrl);
    await withPage(t, browser, async (page) => {
      await signIn(page, server.url, { login: user.login, password: `${user.password}x` });
      await assertSignInRefused(page);
      // The login stays typed in; the password does not come back.
      assert.equal(await page.getByLabel(RU.login, { exact: true }).inputValue(), user.login);
      assert.equal(await page.getByLabel(RU.password, { exact: true }).inputValue(), "");
    });
  });

  test("unknown login", async (t) => {
    await withPage(t, browser, async (page) => {
      await signIn(page, server.url, { login: "nobody_here_e2e", password: "Passw0rd1234" });
      await assertSignInRefused(page);
    });
  });

  test("blocked user (blocked with `lk users block`), with the right password", async (t) => {
    const user = await seedUser(server.databaseUrl);
    const blocked = await runLk(server.databaseUrl, ["users", "block", user.login]);
    assert.equal(blocked.code, 0, blocked.stderr);
    await withPage(t, browser, async (page) => {
      await signIn(page, server.url, user);
      await assertSignInRefused(page);
    });
  });

  test("a user blocked while signed in is out at the next page", async (t) => {
    const user = await seedUser(server.databaseUrl);
    await withPage(t, browser, async (page) => {
      await signIn(page, server.url, user);
      await assertInCabinet(page, user);
      await setUserStatus(server.databaseUrl, user.login, "blocked");
      await page.goto(`${server.url}/`);
      assert.equal(new URL(page.url()).pathname, "/sign-in");
      assert.equal(await page.getByTestId("user-name").count(), 0);
    });
  });

  test("a refused attempt followed by the right password signs in", async (t) => {
    const user = await seedUser(server.databaseUrl);
    await withPage(t, browser, async (page) => {
      await signIn(page, server.url, { login: user.login, password: "Wrong0password" });
      await assertSignInRefused(page);
      await submitSignIn(page, user);
      await assertInCabinet(page, user);
    });
  });
});

describe("signing out", () => {
  test("«Выйти» returns to the sign-in page with the signed-out notice and ends the session", async (t) => {
    const user = await seedUser(server.databaseUrl);
    await withPage(t, browser, async (page, context) => {
      await signIn(page, server.url, user);
      await assertInCabinet(page, user);
      const cookiesWhileSignedIn = await context.cookies();

      await signOut(page);
      assert.equal(pathOf(page), "/sign-in?notice=signed-out");
      assert.equal(await textOf(page, "notice"), RU.signedOut);
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), RU.heading);
      assert.equal(await page.getByTestId("user-name").count(), 0);

      // Back button: the cabinet page is not shown from the browser's cache (pages are no-store).
      await page.goBack();
      assert.equal(new URL(page.url()).pathname, "/sign-in");
      assert.equal(await page.getByTestId("user-name").count(), 0);

      // Reopening the cabinet sends the person to sign-in.
      await page.goto(`${server.url}/`);
      assert.equal(pathOf(page), `/sign-in?next=${encodeURIComponent("/")}`);
      assert.equal(await page.getByTestId("user-name").count(), 0);

      // The old session cookie, replayed, opens nothing: the session was deleted on the server.
      const replay = await browser.newContext();
      try {
        await replay.addCookies(cookiesWhileSignedIn);
        const again = await replay.newPage();
        await again.goto(`${server.url}/`);
        assert.equal(new URL(again.url()).pathname, "/sign-in");
        assert.equal(await again.getByTestId("user-name").count(), 0);
      } finally {
        await replay.close();
      }
    });
  });

  test("each browser has its own session: signing out in one leaves the other signed in", async (t) => {
    const user = await seedUser(server.databaseUrl);
    await withPage(t, browser, async (page) => {
      const other = await browser.newContext();
      try {
        const otherPage = await other.newPage();
        await signIn(otherPage, server.url, user);
        await signIn(page, server.url, user);
        await signOut(page);
        await otherPage.reload();
        await assertInCabinet(otherPage, user);
      } finally {
        await other.close();
      }
    });
  });
});

describe("redirect back after sign-in", () => {
  test("a cabinet page asked for while signed out opens after sign-in, query included", async (t) => {
    const user = await seedUser(server.databaseUrl);
    await withPage(t, browser, async (page) => {
      await page.goto(`${server.url}/settings?tab=password&x=1`);
      assert.equal(pathOf(page), `/sign-in?next=${encodeURIComponent("/settings?tab=password&x=1")}`);
      await submitSignIn(page, user);
      assert.equal(pathOf(page), "/settings?tab=password&x=1");
      await assertInCabinet(page, user);
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), RU.settings);
    });
  });

  test("a deep path given as next is where sign-in lands, even one with no page behind it", async (t) => {
    const user = await seedUser(server.databaseUrl);
    await withPage(t, browser, async (page) => {
      await page.goto(`${server.url}/sign-in?next=${encodeURIComponent("/some/deep/path?x=1")}`);
      await submitSignIn(page, user);
      assert.equal(pathOf(page), "/some/deep/path?x=1");
      await assertInCabinet(page, user);
    });
  });

  test("next survives a refused attempt", async (t) => {
    const user = await seedUser(server.databaseUrl);
    await withPage(t, browser, async (page) => {
      await page.goto(`${server.url}/settings`);
      await submitSignIn(page, { login: user.login, password: "Wrong0password" });
      await assertSignInRefused(page);
      await submitSignIn(page, user);
      assert.equal(pathOf(page), "/settings");
    });
  });

  test("another site as next is ignored: sign-in stays on this site", async (t) => {
    const user = await seedUser(server.databaseUrl);
    await withPage(t, browser, async (page) => {
      await page.goto(`${server.url}/sign-in?next=${encodeURIComponent("//evil.example/steal")}`);
      await submitSignIn(page, user);
      assert.equal(new URL(page.url()).origin, server.url);
      assert.equal(pathOf(page), "/");
    });
  });
});

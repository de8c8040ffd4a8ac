// The ru/en switch on the sign-in page; after sign-in the user's own language rules, whatever the switch said.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, withPage } from "./support/browser.ts";
import { seedUser } from "./support/database.ts";
import {
  assertInCabinet,
  assertSignInRefused,
  EN,
  pathOf,
  RU,
  submitSignIn,
  type Texts,
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

async function assertSignInPageIn(page: Page, texts: Texts, lang: string): Promise<void> {
  assert.equal(await page.locator("html").getAttribute("lang"), lang);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), texts.heading);
  assert.equal(await page.getByLabel(texts.login, { exact: true }).count(), 1);
  assert.equal(await page.getByLabel(texts.password, { exact: true }).count(), 1);
  assert.equal(await page.getByRole("button", { name: texts.submit, exact: true }).count(), 1);
  assert.equal(await page.getByRole("link", { name: texts.forgot, exact: true }).count(), 1);
  assert.equal(await textOf(page, "test-mode"), texts.testMode);
}

async function switchTo(page: Page, label: "English" | "Русский"): Promise<void> {
  await Promise.all([
    page.waitForNavigation({ waitUntil: "load" }),
    page.getByRole("link", { name: label, exact: true }).click(),
  ]);
}

async function assertCabinetIn(page: Page, texts: Texts, lang: string): Promise<void> {
  assert.equal(await page.locator("html").getAttribute("lang"), lang);
  assert.equal(await page.getByRole("button", { name: texts.signOut, exact: true }).count(), 1);
  assert.equal(await page.getByRole("navigation").getByRole("link", { name: texts.settings }).count(), 1);
  assert.equal(await textOf(page, "test-mode"), texts.testMode);
}

test("the sign-in page is Russian by default, whatever the browser's language", async (t) => {
  await withPage(
    t,
    browser,
    async (page) => {
      await page.goto(`${server.url}/sign-in`);
      await assertSignInPageIn(page, RU, "ru");
    },
    { locale: "en-US" },
  );
});

test("«English» switches the sign-in page and its failure message to English, «Русский» back", async (t) => {
  await withPage(t, browser, async (page) => {
    await page.goto(`${server.url}/sign-in`);
    await switchTo(page, "English");
    assert.equal(pathOf(page), "/sign-in");
    await assertSignInPageIn(page, EN, "en");

    await submitSignIn(page, { login: "nobody_here_e2e", password: "Passw0rd1234" }, EN);
    await assertSignInRefused(page, EN);

    await switchTo(page, "Русский");
    await assertSignInPageIn(page, RU, "ru");
  });
});

test("a Russian user signing in from the English page gets the cabinet in Russian", async (t) => {
  const user = await seedUser(server.databaseUrl, { language: "ru" });
  await withPage(t, browser, async (page) => {
    await page.goto(`${server.url}/sign-in`);
    await switchTo(page, "English");
    await submitSignIn(page, user, EN);
    assert.equal(pathOf(page), "/");
    await assertInCabinet(page, user, RU);
    await assertCabinetIn(page, RU, "ru");
  });
});

test("an English user signing in from the Russian page gets the cabinet in English", async (t) => {
  const user = await seedUser(server.databaseUrl, { language: "en" });
  await withPage(t, browser, async (page) => {
    await page.goto(`${server.url}/sign-in`);
    await assertSignInPageIn(page, RU, "ru");
    await submitSignIn(page, user, RU);
    assert.equal(pathOf(page), "/");
    await assertInCabinet(page, user, EN);
    await assertCabinetIn(page, EN, "en");
    await page.goto(`${server.url}/settings`);
    await assertCabinetIn(page, EN, "en");
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), EN.settings);
  });
});

test("switching the language on the sign-in page keeps the page first asked for", async (t) => {
  const user = await seedUser(server.databaseUrl, { language: "en" });
  await withPage(t, browser, async (page) => {
    await page.goto(`${server.url}/settings`);
    assert.equal(pathOf(page), `/sign-in?next=${encodeURIComponent("/settings")}`);
    await switchTo(page, "English");
    await submitSignIn(page, user, EN);
    assert.equal(pathOf(page), "/settings");
  });
});

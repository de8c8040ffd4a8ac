// Seed, «Восстановление пароля»: from «Забыли пароль?» through the mailed link to signing in with the new
// password, in real Chromium, with the mail caught by a real SMTP server on loopback.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { Browser, Page } from "playwright-core";
import {
  type CaughtMail,
  linkIn,
  type SmtpCatcher,
  startSmtpCatcher,
} from "../../src/testing/smtp-catcher.ts";
import { launchBrowser, screenshotPath, withPage } from "./support/browser.ts";
import { type SeededUser, seedUser, setUserStatus } from "./support/database.ts";
import {
  assertInCabinet,
  assertSignInRefused,
  EN,
  passwordProblemsOn,
  pathOf,
  RECOVERY_EN,
  RECOVERY_RU,
  type RecoveryTexts,
  RU,
  submitNewPassword,
  submitRecovery,
  submitSignIn,
  textOf,
} from "./support/pages.ts";
import { type RunningServer, startServer } from "./support/server.ts";

const MAIL_FROM = "cabinet-e2e@processor.example";
// Not the seed's default (support@belassist.by): the page must show the configured address.
const SUPPORT_EMAIL = "help-desk-e2e@processor.example";
/** How long a refused request gets to (wrongly) produce a mail before we call it "no mail". */
const NO_MAIL_WAIT_MS = 1_500;

let catcher: SmtpCatcher;
let server: RunningServer;
let browser: Browser;

before(async () => {
  catcher = await startSmtpCatcher();
  [server, browser] = await Promise.all([
    startServer({
      env: (port) => ({
        LK_SMTP_URL: catcher.url,
        LK_PUBLIC_URL: `http://127.0.0.1:${port}`,
        LK_MAIL_FROM: MAIL_FROM,
        LK_SUPPORT_EMAIL: SUPPORT_EMAIL,
        // Every request of this file comes from 127.0.0.1; the per-IP limit (20 an hour) would start
        // withholding mail mid-file. The limits have their own tests (src/recovery/recovery-limits.test.ts).
        LK_RECOVERY_IP_LIMIT: "1000",
      }),
    }),
    launchBrowser(),
  ]);
});

after(async () => {
  await Promise.all([browser?.close(), server?.stop()]);
  await catcher?.stop();
});

const suffix = () => randomBytes(3).toString("hex");

/** A valid password under the seed's rules (8-20, Latin letters and digits, both), unique per call. */
const newValidPassword = () => `NewPassw0rd${suffix()}`;

function isTo(mail: CaughtMail, address: string): boolean {
  return mail.to.some((to) => to.toLowerCase() === address.toLowerCase());
}

function waitForMailTo(address: string, subject: string, skip: CaughtMail[] = []): Promise<CaughtMail> {
  return catcher.waitForMail(
    (mail) => isTo(mail, address) && mail.subject === subject && !skip.includes(mail),
    15_000,
  );
}

/** The recovery page as the seed shows it: heading, the instruction sentence, both fields, «Отправить». */
async function assertRecoveryPage(page: Page, texts: RecoveryTexts = RECOVERY_RU): Promise<void> {
  assert.equal(new URL(page.url()).pathname, "/recovery");
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), texts.title);
  assert.equal(await textOf(page, "recovery-intro"), texts.intro);
  assert.equal(await page.getByLabel(texts.login, { exact: true }).count(), 1);
  assert.equal(await page.getByLabel(texts.email, { exact: true }).count(), 1);
  assert.equal(await page.getByRole("button", { name: texts.submit, exact: true }).count(), 1);
}

/** Seed, «Сообщение о письме для восстановления пароля». */
async function assertRecoverySent(page: Page, texts: RecoveryTexts = RECOVERY_RU): Promise<void> {
  assert.equal(new URL(page.url()).pathname, "/recovery");
  assert.equal(await page.getByRole("heading", { name: texts.title, exact: true }).count(), 1);
  assert.equal(await textOf(page, "notice"), texts.sent);
  assert.equal(await page.getByTestId("error").count(), 0);
  const back = page.getByRole("link", { name: texts.back, exact: true });
  assert.equal(await back.count(), 1);
  assert.equal(await back.getAttribute("href"), "/sign-in");
}

/** Seed, «Неуспешное восстановление пароля», with the configured support address as a mailto link. */
async function assertRecoveryRefused(page: Page): Promise<void> {
  assert.equal(new URL(page.url()).pathname, "/recovery");
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), RECOVERY_RU.title);
  const error = page.getByTestId("error");
  const paragraphs = (await error.locator("p").allTextContents()).map((p) => p.replace(/\s+/g, " ").trim());
  assert.deepEqual(paragraphs, [RECOVERY_RU.failed, `${RECOVERY_RU.failedHint} ${SUPPORT_EMAIL}.`]);
  const mailto = error.getByRole("link", { name: SUPPORT_EMAIL, exact: true });
  assert.equal(await mailto.count(), 1);
  assert.equal(await mailto.getAttribute("href"), `mailto:${SUPPORT_EMAIL}`);
  assert.equal(await page.getByTestId("notice").count(), 0, "no success message");
  assert.equal(await page.getByText(RECOVERY_RU.sent).count(), 0);
}

/** The page behind the mailed link: «Новый пароль», «Повторите новый пароль», «Сохранить», in `lang`. */
async function assertNewPasswordPage(page: Page, texts: RecoveryTexts, lang: string): Promise<void> {
  assert.equal(await page.locator("html").getAttribute("lang"), lang);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), texts.newPasswordTitle);
  assert.equal(await page.getByLabel(texts.newPassword, { exact: true }).getAttribute("type"), "password");
  assert.equal(await page.getByLabel(texts.repeat, { exact: true }).getAttribute("type"), "password");
  assert.equal(await page.getByRole("button", { name: texts.save, exact: true }).count(), 1);
}

async function assertLinkInvalidPage(page: Page, status: number | undefined): Promise<void> {
  assert.equal(status, 410);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), RECOVERY_RU.linkInvalidTitle);
  const requestNew = page.getByRole("link", { name: RECOVERY_RU.requestNew, exact: true });
  assert.equal(await requestNew.getAttribute("href"), "/recovery");
  assert.equal(await page.getByLabel(RECOVERY_RU.newPassword, { exact: true }).count(), 0, "never the form");
}

/** Opens the sign-in page, follows «Забыли пароль?» and asks for a link; the answer must be the success. */
async function requestLinkFromSignIn(
  page: Page,
  request: { login: string; email: string },
  screenshots = false,
): Promise<void> {
  await page.goto(`${server.url}/sign-in`);
  await Promise.all([
    page.waitForURL(`${server.url}/recovery`),
    page.getByRole("link", { name: RU.forgot, exact: true }).click(),
  ]);
  await assertRecoveryPage(page);
  if (screenshots) await page.screenshot({ path: screenshotPath("recovery-page"), fullPage: true });
  await submitRecovery(page, request);
  await assertRecoverySent(page);
  if (screenshots) await page.screenshot({ path: screenshotPath("recovery-sent"), fullPage: true });
}

async function requestLink(page: Page, user: SeededUser): Promise<void> {
  await page.goto(`${server.url}/recovery`);
  await submitRecovery(page, user);
  await assertRecoverySent(page);
}

/** The mailed link: built from LK_PUBLIC_URL, pointing at this server's reset page. */
function resetLinkIn(mail: CaughtMail): string {
  const link = linkIn(mail, "/recovery/reset/");
  assert.match(link, new RegExp(`^${server.url}/recovery/reset/[\\w-]{43}$`));
  assert.ok(mail.html.includes(`href="${link}"`), "the HTML part carries the same link");
  return link;
}

interface PathLanguage {
  /** What the mails and the page behind the link speak: the account's language. */
  mail: RecoveryTexts;
  lang: string;
  cabinet: typeof RU | typeof EN;
}

/**
 * The whole path for one user, started from the Russian sign-in page: «Забыли пароль?» → the mail → the link
 * → a password breaking the rules → a valid one → sign-in with the notice → the cabinet; the old password is
 * refused and the "password changed" mail arrives.
 */
async function walkFullPath(page: Page, user: SeededUser, language: PathLanguage): Promise<void> {
  const { mail: texts } = language;
  const screenshots = language.lang === "ru";
  // Seed: the e-mail «который был указан при регистрации»; the case it is typed in does not matter.
  const typedEmail = user.email.toUpperCase();
  assert.notEqual(typedEmail, user.email);
  await requestLinkFromSignIn(page, { login: user.login, email: typedEmail }, screenshots);

  const resetMail = await waitForMailTo(user.email, texts.resetMailSubject);
  assert.equal(resetMail.from, MAIL_FROM);
  assert.equal(resetMail.to.length, 1);
  assert.equal(resetMail.to[0]?.toLowerCase(), user.email.toLowerCase());
  assert.notEqual(resetMail.to[0], typedEmail, "sent to the stored address, not the one typed");
  // Seed: «Время действия ссылки будет указано в письме» — and the mail is in the user's language.
  assert.ok(resetMail.text.includes(texts.resetMailValidity), resetMail.text);
  assert.ok(resetMail.html.includes(texts.resetMailValidity), "the HTML part says it too");
  assert.ok(resetMail.text.includes(user.login), "the mail names the account");
  const link = resetLinkIn(resetMail);

  const opened = await page.goto(link);
  assert.equal(opened?.status(), 200);
  // The token must not leak through the Referer of anything this page loads or links to.
  assert.equal(opened?.headers()["referrer-policy"], "no-referrer");
  await assertNewPasswordPage(page, texts, language.lang);
  if (screenshots) await page.screenshot({ path: screenshotPath("recovery-new-password"), fullPage: true });

  // Seed, «Внимание!»: 8 to 20 characters, letters and digits both required.
  const shortStatus = await submitNewPassword(page, { password: "short" }, texts);
  assert.equal(shortStatus, 422);
  assert.deepEqual(
    (await passwordProblemsOn(page)).sort(),
    [texts.ruleLength, texts.ruleLetterAndDigit].sort(),
  );
  await assertNewPasswordPage(page, texts, language.lang);
  assert.equal(await page.getByLabel(texts.newPassword, { exact: true }).inputValue(), "", "never echoed");
  assert.equal(await page.getByLabel(texts.repeat, { exact: true }).inputValue(), "", "never echoed");
  assert.ok(!(await page.content()).includes('value="short"'), "the rejected password is not in the page");

  // Seed: «не может повторять ни один из последних трех паролей» — the current one is the first of them.
  const sameStatus = await submitNewPassword(page, { password: user.password }, texts);
  assert.equal(sameStatus, 422);
  assert.deepEqual(await passwordProblemsOn(page), [texts.ruleHistory]);

  const newPassword = newValidPassword();
  await submitNewPassword(page, { password: newPassword }, texts);
  // No automatic sign-in: the sign-in page, now in the account's language like the mail, with the notice.
  assert.equal(pathOf(page), "/sign-in?notice=password-changed");
  assert.equal(await textOf(page, "notice"), texts.passwordChanged);
  assert.equal(await page.getByTestId("user-name").count(), 0);

  // Seed: the one sign-in failure sentence for the old password.
  await submitSignIn(page, { login: user.login, password: user.password }, language.cabinet);
  await assertSignInRefused(page, language.cabinet);

  await submitSignIn(page, { login: user.login, password: newPassword }, language.cabinet);
  assert.equal(pathOf(page), "/");
  await assertInCabinet(page, user, language.cabinet);
  assert.equal(await page.locator("html").getAttribute("lang"), language.lang);

  const changedMail = await waitForMailTo(user.email, texts.changedMailSubject);
  assert.equal(changedMail.from, MAIL_FROM);
  assert.ok(changedMail.text.includes(user.login), changedMail.text);
  assert.ok(changedMail.text.includes(SUPPORT_EMAIL), "tells whom to call if it was not the owner");
  assert.equal(catcher.mailsTo(user.email).length, 2, "one reset mail and one confirmation, nothing else");
}

describe("the full path from «Забыли пароль?» to the cabinet", () => {
  test("a Russian user: Russian mail («Ссылка действительна в течение 30 минут»), Russian reset page", async (t) => {
    const login = `e2e_ru_${suffix()}`;
    const user = await seedUser(server.databaseUrl, {
      login,
      email: `Ivan.Petrov.${login}@Shop.example`,
      language: "ru",
    });
    await withPage(t, browser, (page) =>
      walkFullPath(page, user, { mail: RECOVERY_RU, lang: "ru", cabinet: RU }),
    );
  });

  test("an English user starting from the Russian page: English mail and reset page, English cabinet", async (t) => {
    const user = await seedUser(server.databaseUrl, { login: `e2e_en_${suffix()}`, language: "en" });
    await withPage(t, browser, (page) =>
      walkFullPath(page, user, { mail: RECOVERY_EN, lang: "en", cabinet: EN }),
    );
  });
});

describe("each refusal shows the seed's failure text and sends no mail", () => {
  /** Every address a refused request might (wrongly) have mailed. */
  const refusedAddresses: string[] = [];

  async function assertRefusedWithoutMail(
    t: Parameters<typeof withPage>[0],
    request: { login: string; email: string },
    addresses: string[],
    screenshot?: string,
  ): Promise<void> {
    refusedAddresses.push(...addresses);
    await withPage(t, browser, async (page) => {
      await page.goto(`${server.url}/recovery`);
      await submitRecovery(page, request);
      await assertRecoveryRefused(page);
      // The form keeps what was typed, so the person can correct it.
      assert.equal(await page.getByLabel(RECOVERY_RU.login, { exact: true }).inputValue(), request.login);
      assert.equal(await page.getByLabel(RECOVERY_RU.email, { exact: true }).inputValue(), request.email);
      if (screenshot) await page.screenshot({ path: screenshotPath(screenshot), fullPage: true });
    });
    // Mail is sent by a background sender: give it time to (wrongly) deliver before saying "none".
    await sleep(NO_MAIL_WAIT_MS);
    for (const address of addresses) {
      assert.deepEqual(
        catcher.mailsTo(address).map((mail) => mail.subject),
        [],
        `no mail to ${address}`,
      );
    }
  }

  test("no such login (with the e-mail of a real user)", async (t) => {
    const other = await seedUser(server.databaseUrl);
    await assertRefusedWithoutMail(t, { login: `nobody_${suffix()}`, email: other.email }, [other.email]);
  });

  test("the e-mail does not match the login", async (t) => {
    const user = await seedUser(server.databaseUrl);
    const wrongEmail = `someone.else.${suffix()}@shop.example`;
    await assertRefusedWithoutMail(t, { login: user.login, email: wrongEmail }, [user.email, wrongEmail]);
  });

  test("a user without the right to change their own password (rights: [])", async (t) => {
    const user = await seedUser(server.databaseUrl, { rights: [] });
    await assertRefusedWithoutMail(
      t,
      { login: user.login, email: user.email },
      [user.email],
      "recovery-refused",
    );
  });

  test("a blocked user, with the right login and e-mail", async (t) => {
    const user = await seedUser(server.databaseUrl);
    await setUserStatus(server.databaseUrl, user.login, "blocked");
    await assertRefusedWithoutMail(t, { login: user.login, email: user.email }, [user.email]);
  });

  test("the mail sender was alive all along: a later good request is mailed, the refused ones never were", async (t) => {
    assert.equal(refusedAddresses.length, 5, "the four refusals above ran first");
    const control = await seedUser(server.databaseUrl);
    await withPage(t, browser, (page) => requestLink(page, control));
    await waitForMailTo(control.email, RECOVERY_RU.resetMailSubject);
    // The queue is sent in order: had a refused request queued anything, it would have gone out first.
    for (const address of refusedAddresses) {
      assert.deepEqual(catcher.mailsTo(address), [], `no mail to ${address}`);
    }
  });
});

test("«English» on the recovery page: the page and the refusal in English, with the same support link", async (t) => {
  await withPage(t, browser, async (page) => {
    await page.goto(`${server.url}/recovery`);
    await Promise.all([
      page.waitForNavigation({ waitUntil: "load" }),
      page.getByRole("link", { name: "English", exact: true }).click(),
    ]);
    assert.equal(pathOf(page), "/recovery");
    assert.equal(await page.locator("html").getAttribute("lang"), "en");
    await assertRecoveryPage(page, RECOVERY_EN);
    await submitRecovery(page, { login: `nobody_${suffix()}`, email: "nobody@shop.example" }, RECOVERY_EN);
    const paragraphs = (await page.getByTestId("error").locator("p").allTextContents()).map((p) =>
      p.replace(/\s+/g, " ").trim(),
    );
    assert.deepEqual(paragraphs, [RECOVERY_EN.failed, `${RECOVERY_EN.failedHint} ${SUPPORT_EMAIL}.`]);
    const mailto = page.getByTestId("error").getByRole("link", { name: SUPPORT_EMAIL, exact: true });
    assert.equal(await mailto.getAttribute("href"), `mailto:${SUPPORT_EMAIL}`);
  });
});

describe("a link works once", () => {
  test("after use, the link (and a form left open with it) shows the invalid-link page with «Запросить новую ссылку»", async (t) => {
    const user = await seedUser(server.databaseUrl);
    await withPage(t, browser, async (page, context) => {
      await requestLink(page, user);
      const link = resetLinkIn(await waitForMailTo(user.email, RECOVERY_RU.resetMailSubject));

      // A second tab opens the same link before it is used, and keeps the form.
      const staleTab = await context.newPage();
      await staleTab.goto(link);
      await assertNewPasswordPage(staleTab, RECOVERY_RU, "ru");

      await page.goto(link);
      const newPassword = newValidPassword();
      await submitNewPassword(page, { password: newPassword });
      assert.equal(pathOf(page), "/sign-in?notice=password-changed");

      const again = await page.goto(link);
      await assertLinkInvalidPage(page, again?.status());
      await page.screenshot({ path: screenshotPath("recovery-link-invalid"), fullPage: true });

      // The form opened earlier cannot set a second password with the used link.
      await staleTab.getByLabel(RECOVERY_RU.newPassword, { exact: true }).fill("Another0ne123");
      await staleTab.getByLabel(RECOVERY_RU.repeat, { exact: true }).fill("Another0ne123");
      const [stale] = await Promise.all([
        staleTab.waitForNavigation({ waitUntil: "load" }),
        staleTab.getByRole("button", { name: RECOVERY_RU.save, exact: true }).click(),
      ]);
      await assertLinkInvalidPage(staleTab, stale?.status());
      await staleTab.close();

      // «Запросить новую ссылку» leads back to the recovery page.
      await Promise.all([
        page.waitForURL(`${server.url}/recovery`),
        page.getByRole("link", { name: RECOVERY_RU.requestNew, exact: true }).click(),
      ]);
      await assertRecoveryPage(page);

      // The password is the one set through the link, not the stale tab's.
      await page.goto(`${server.url}/sign-in`);
      await submitSignIn(page, { login: user.login, password: "Another0ne123" });
      await assertSignInRefused(page);
      await submitSignIn(page, { login: user.login, password: newPassword });
      await assertInCabinet(page, user);
    });
  });

  test("a second request makes the first link invalid; the newer link works", async (t) => {
    const user = await seedUser(server.databaseUrl);
    await withPage(t, browser, async (page) => {
      await requestLink(page, user);
      const firstMail = await waitForMailTo(user.email, RECOVERY_RU.resetMailSubject);
      await requestLink(page, user);
      const secondMail = await waitForMailTo(user.email, RECOVERY_RU.resetMailSubject, [firstMail]);
      const first = resetLinkIn(firstMail);
      const second = resetLinkIn(secondMail);
      assert.notEqual(first, second);

      const stale = await page.goto(first);
      await assertLinkInvalidPage(page, stale?.status());

      const fresh = await page.goto(second);
      assert.equal(fresh?.status(), 200);
      await assertNewPasswordPage(page, RECOVERY_RU, "ru");
      const newPassword = newValidPassword();
      await submitNewPassword(page, { password: newPassword });
      assert.equal(pathOf(page), "/sign-in?notice=password-changed");
      await submitSignIn(page, { login: user.login, password: newPassword });
      await assertInCabinet(page, user);
    });
  });
});

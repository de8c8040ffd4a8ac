import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Language } from "../i18n/i18n.ts";
import {
  type ComposedMail,
  composeLockoutMail,
  composePasswordChangedMail,
  composeResetMail,
  newMessageId,
} from "./mail-templates.tsx";

const MINUTE = 60_000;
const URL_ = "https://lk.example.org/recovery/reset/Zq3x-9_tokenAbc";

const user = (language: Language, fullName = language === "ru" ? "Анна Петрова" : "Anna Petrova") => ({
  language,
  login: "anna.p",
  fullName,
});

/** The text of the HTML part as a reader sees it: tags dropped, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** The same sentence must reach a reader of either part. */
function assertInBothParts(mail: ComposedMail, sentence: string | RegExp): void {
  if (typeof sentence === "string") {
    assert.ok(mail.text.includes(sentence), `text part lacks «${sentence}»:\n${mail.text}`);
    assert.ok(visibleText(mail.html).includes(sentence), `HTML part lacks «${sentence}»:\n${mail.html}`);
    return;
  }
  assert.match(mail.text, sentence);
  assert.match(visibleText(mail.html), sentence);
}

describe("password recovery mail", () => {
  it("is in Russian for a Russian user: subject, body, the link in both parts, validity in words", () => {
    const mail = composeResetMail(user("ru"), { url: URL_, ttlMs: 30 * MINUTE });
    assert.equal(mail.subject, "Восстановление пароля в личном кабинете");
    assertInBothParts(mail, "Здравствуйте, Анна Петрова!");
    assertInBothParts(mail, "Для учетной записи anna.p запрошено восстановление пароля.");
    // Seed: «Время действия ссылки будет указано в письме».
    assertInBothParts(mail, "Ссылка действительна в течение 30 минут.");
    assert.ok(mail.text.split("\n").includes(URL_), "the link stands on its own line in the text part");
    assert.ok(mail.html.includes(`href="${URL_}"`), "the HTML part links to the reset page");
    assert.match(visibleText(mail.html), /Задать новый пароль/, "the button of the HTML part");
    assert.match(mail.html, /<html lang="ru">/);
    assert.doesNotMatch(mail.text + mail.html, /The link|valid for/);
  });

  it("words Russian durations in the genitive with the right plural after «в течение»", () => {
    const validity = (ttlMs: number) =>
      composeResetMail(user("ru"), { url: URL_, ttlMs }).text.match(/Ссылка действительна [^\n]*/)?.[0];
    assert.equal(validity(30 * MINUTE), "Ссылка действительна в течение 30 минут.");
    assert.equal(validity(MINUTE), "Ссылка действительна в течение 1 минуты.");
    assert.equal(validity(2 * 60 * MINUTE), "Ссылка действительна в течение 2 часов.");
    assert.equal(validity(21 * MINUTE), "Ссылка действительна в течение 21 минуты.");
    assert.equal(validity(45_000), "Ссылка действительна в течение 45 секунд.");
    assert.equal(validity(90 * MINUTE), "Ссылка действительна в течение 1 часа 30 минут.");
  });

  it("is in English for an English user", () => {
    const mail = composeResetMail(user("en", "Anna Petrova"), { url: URL_, ttlMs: 30 * MINUTE });
    assert.equal(mail.subject, "Password recovery for the merchant cabinet");
    assertInBothParts(mail, "Hello Anna Petrova,");
    assertInBothParts(mail, "Password recovery was requested for the account anna.p.");
    assertInBothParts(mail, "The link is valid for 30 minutes.");
    assert.ok(mail.text.includes(URL_));
    assert.ok(mail.html.includes(`href="${URL_}"`));
    assert.match(mail.html, /<html lang="en">/);
    assert.doesNotMatch(mail.text + mail.html, /[а-яё]/i, "no Russian words in an English mail");

    const oneMinute = composeResetMail(user("en"), { url: URL_, ttlMs: MINUTE });
    assertInBothParts(oneMinute, "The link is valid for 1 minute.");
    assertInBothParts(composeResetMail(user("en"), { url: URL_, ttlMs: 120 * MINUTE }), "valid for 2 hours.");
  });

  it("greets by login when the user has no full name", () => {
    const mail = composeResetMail(
      { language: "ru", login: "kassir7", fullName: "" },
      { url: URL_, ttlMs: MINUTE },
    );
    assertInBothParts(mail, "Здравствуйте, kassir7!");
  });

  it("escapes a malicious full name in the HTML part", () => {
    for (const language of ["ru", "en"] as const) {
      const evil = user(language, `<script>alert(1)</script><img src=x onerror="alert(2)">`);
      const mail = composeResetMail(evil, { url: URL_, ttlMs: 30 * MINUTE });
      assert.doesNotMatch(mail.html, /<script/i);
      assert.doesNotMatch(mail.html, /<img/i);
      // Shown to the reader as written, never run.
      assert.ok(visibleText(mail.html).includes(evil.fullName), mail.html);
      // The plain-text part is not markup: the name stays as written.
      assert.ok(mail.text.includes("<script>alert(1)</script>"));
    }
  });
});

describe("password changed mail", () => {
  const at = Date.UTC(2026, 2, 14, 9, 5);
  it("tells a Russian user when the password changed and whom to call", () => {
    const mail = composePasswordChangedMail(user("ru"), { at, supportEmail: "support@belassist.by" });
    assert.equal(mail.subject, "Пароль в личном кабинете изменен");
    assertInBothParts(mail, /Пароль учетной записи anna\.p был изменен 14 марта 2026 г\.,? (в )?09:05 UTC\./);
    assertInBothParts(mail, "в службу поддержки support@belassist.by");
    assert.match(mail.html, /<html lang="ru">/);
  });

  it("is in English for an English user", () => {
    const mail = composePasswordChangedMail(user("en"), { at, supportEmail: "help@example.org" });
    assert.equal(mail.subject, "Your merchant cabinet password was changed");
    assertInBothParts(
      mail,
      /The password of the account anna\.p was changed on 14 March 2026,? (at )?09:05 UTC\./,
    );
    assertInBothParts(mail, "support service at help@example.org");
    assert.doesNotMatch(mail.text, /[а-яё]/i);
  });
});

describe("lockout mail", () => {
  const until = Date.UTC(2026, 2, 14, 10, 0);
  const lock = { failures: 10, until, durationMs: 30 * MINUTE, supportEmail: "support@belassist.by" };

  it("tells a Russian user how many failures, for how long and until when, in the accusative", () => {
    const mail = composeLockoutMail(user("ru"), lock);
    assert.equal(mail.subject, "Учетная запись временно заблокирована");
    assertInBothParts(mail, "Неудачных попыток входа подряд: 10.");
    assertInBothParts(
      mail,
      /Учетная запись anna\.p заблокирована на 30 минут, до 14 марта 2026 г\.,? (в )?10:00 UTC\./,
    );
    assertInBothParts(mail, "support@belassist.by");
    const oneMinute = composeLockoutMail(user("ru"), { ...lock, durationMs: MINUTE });
    assertInBothParts(oneMinute, "заблокирована на 1 минуту,");
  });

  it("is in English for an English user", () => {
    const mail = composeLockoutMail(user("en"), lock);
    assert.equal(mail.subject, "Your account is temporarily locked");
    assertInBothParts(mail, "Failed sign-in attempts in a row: 10.");
    assertInBothParts(
      mail,
      /The account anna\.p is locked for 30 minutes, until 14 March 2026,? (at )?10:00 UTC\./,
    );
    assert.doesNotMatch(mail.text, /[а-яё]/i);
  });
});

describe("newMessageId", () => {
  it("is unique and in the sender's domain", () => {
    const a = newMessageId("no-reply@cabinet.example.org");
    const b = newMessageId("no-reply@cabinet.example.org");
    assert.match(a, /^<[0-9a-f-]{36}@cabinet\.example\.org>$/);
    assert.notEqual(a, b);
  });
});

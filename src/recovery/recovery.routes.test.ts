// The seed's recovery page and its two answers, and the mail it queues (HTTP through app.inject, both dialects).
// Seed: «Имеется возможность восстановить забытый пароль. Для этого следует нажать на кнопку «Забыли пароль?»,
// по которой открывается страница восстановления пароля.»
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { listAuditEvents } from "../audit/audit.repository.ts";
import { DIALECTS } from "../db/test-database.ts";
import { findMailsTo } from "../mail/mail-queue.repository.ts";
import { browser, createTestApp, seedUser, type TestApp } from "../testing/test-app.ts";
import { setUserStatus } from "../users/users.repository.ts";

const FAST_HASH = { LK_ARGON2_MEMORY_KIB: "1024", LK_ARGON2_TIME_COST: "1" };
const SUPPORT = "help-desk@psp.example";
const PUBLIC_URL = "https://account.demo.example";

const SENT = "На ваш email отправлена ссылка для восстановления пароля.";
const FAILED = "Такой пользователь не существует или неверно указан e-mail.";
const FAILED_HINT =
  "Введите, пожалуйста, корректные данные или обратитесь к администратору вашего магазина или в службу поддержки";

/** The text a person reads: inline tags dropped, block tags turned into spaces, entities decoded. */
function textOf(html: string): string {
  return html
    .replace(/<\/?(?:strong|b|em|i|a|span|code)\b[^>]*>/g, "")
    .replace(/<[^>]*>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

function countOf(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

// Each request comes from its own address, so the per-IP limit of one test never touches another.
let ipCounter = 0;
function freshIp(): string {
  ipCounter += 1;
  return `10.3.${ipCounter >> 8}.${ipCounter & 255}`;
}

function resetLinksIn(body: string): string[] {
  return body.match(/https?:\/\/[^\s"<>]+\/recovery\/reset\/[\w-]+/g) ?? [];
}

for (const dialect of DIALECTS) {
  describe(`recovery page (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, {
        ...FAST_HASH,
        LK_SUPPORT_EMAIL: SUPPORT,
        LK_PUBLIC_URL: PUBLIC_URL,
      });
    });
    after(() => t.close());

    const request = (fields: { login: string; email: string }, ip = freshIp()) =>
      browser(t.app, ip).postForm("/recovery", fields);

    it("«Забыли пароль?» on the sign-in page opens the recovery page", async () => {
      const signIn = await browser(t.app, freshIp()).get("/sign-in");
      assert.equal(signIn.statusCode, 200);
      assert.match(signIn.body, /<a href="\/recovery">Забыли пароль\?<\/a>/);
    });

    it("«Восстановление пароля»: heading, the seed's instruction, «Имя пользователя», «Адрес электронной почты», «Отправить»", async () => {
      const page = await browser(t.app, freshIp()).get("/recovery");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1>Восстановление пароля<\/h1>/);
      const text = textOf(page.body);
      assert.equal(
        countOf(
          text,
          "Для восстановления доступа введите имя пользователя и адрес электронной почты, который был указан при регистрации.",
        ),
        1,
      );
      // The seed sets «имя пользователя» and «адрес электронной почты» in bold.
      assert.match(page.body, /<strong>имя пользователя<\/strong>/);
      assert.match(page.body, /<strong>адрес электронной почты<\/strong>/);
      // «Здесь необходимо задать наименование используемой учетной записи (логин) и адрес электронной почты,
      //  указанный при создании этой учетной записи.»
      assert.match(page.body, /<label for="login">Имя пользователя<\/label>/);
      assert.match(page.body, /<input id="login" name="login"/);
      assert.match(page.body, /<label for="email">Адрес электронной почты<\/label>/);
      assert.match(page.body, /<input id="email" name="email"/);
      assert.match(page.body, /<button[^>]*type="submit"[^>]*>Отправить<\/button>/);
      assert.match(page.body, /<form method="post" action="\/recovery"/);
      // Neither answer is on the empty page.
      assert.doesNotMatch(text, new RegExp(SENT));
      assert.doesNotMatch(text, new RegExp(FAILED));
    });

    it("the page in English when the person chose English", async () => {
      const b = browser(t.app, freshIp());
      await b.get("/language/en?next=/recovery");
      const page = await b.get("/recovery");
      assert.match(page.body, /<h1>Password recovery<\/h1>/);
      assert.match(page.body, />User name<\/label>/);
      assert.match(page.body, />E-mail address<\/label>/);
      assert.match(page.body, />Send<\/button>/);
    });

    it("«Если такой логин существует в системе и ему соответствует этот адрес электронной почты» → «На ваш email отправлена ссылка для восстановления пароля.» and «Назад к авторизации», one mail queued", async () => {
      const { login, email, user } = await seedUser(t.ctx);
      const kicks = t.mailKicks.count;
      const response = await request({ login, email });
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /<h2>Восстановление пароля<\/h2>/);
      assert.equal(countOf(textOf(response.body), SENT), 1);
      assert.match(response.body, /<a href="\/sign-in">Назад к авторизации<\/a>/);
      assert.doesNotMatch(response.body, new RegExp(FAILED));
      // No form on the answer: the request is done.
      assert.doesNotMatch(response.body, /<form method="post" action="\/recovery"/);
      const mails = await findMailsTo(t.ctx.db, email);
      assert.equal(mails.length, 1);
      assert.equal(resetLinksIn(mails[0]!.text_body).length, 1);
      assert.equal(t.mailKicks.count, kicks + 1, "the mail sender is woken");
      const audit = await listAuditEvents(t.ctx.db, { userId: user.id, type: "recovery.requested" });
      assert.equal(audit.length, 1);
    });

    it("the login and the e-mail are matched case-insensitively; the mail goes to the stored address", async () => {
      const { login, email } = await seedUser(t.ctx, {
        login: `Case.User_${ipCounter}_${dialect}`,
        email: `Case.User.${ipCounter}@Shop.Example`,
      });
      const response = await request({ login: login.toUpperCase(), email: `  ${email.toLowerCase()} ` });
      assert.equal(countOf(textOf(response.body), SENT), 1);
      assert.equal((await findMailsTo(t.ctx.db, email)).length, 1);
      assert.equal((await findMailsTo(t.ctx.db, email.toLowerCase())).length, 0);
    });

    const failures: Array<{
      cause: string;
      reason: string;
      arrange: () => Promise<{ login: string; email: string; mailbox: string; userId?: number }>;
    }> = [
      {
        cause: "«указанный логин не существует в системе»",
        reason: "unknown-login",
        arrange: async () => ({
          login: `nobody_${ipCounter}_${dialect}`,
          email: "nobody@shop.example",
          mailbox: "nobody@shop.example",
        }),
      },
      {
        cause: "«ему не соответствует указанный адрес электронной почты»",
        reason: "email-mismatch",
        arrange: async () => {
          const seeded = await seedUser(t.ctx);
          return {
            login: seeded.login,
            email: `other.${seeded.email}`,
            mailbox: seeded.email,
            userId: seeded.user.id,
          };
        },
      },
      {
        cause: "«у пользователя отсутствуют права на изменение собственного пароля»",
        reason: "no-right",
        arrange: async () => {
          const seeded = await seedUser(t.ctx, { rights: [] });
          return { login: seeded.login, email: seeded.email, mailbox: seeded.email, userId: seeded.user.id };
        },
      },
      {
        cause: "a blocked account",
        reason: "blocked",
        arrange: async () => {
          const seeded = await seedUser(t.ctx);
          await setUserStatus(t.ctx.db, seeded.user.id, "blocked");
          return { login: seeded.login, email: seeded.email, mailbox: seeded.email, userId: seeded.user.id };
        },
      },
    ];

    for (const failure of failures) {
      it(`${failure.cause} → «Такой пользователь не существует или неверно указан e-mail.», the support address as a mailto link, no mail`, async () => {
        const { login, email, mailbox, userId } = await failure.arrange();
        const kicks = t.mailKicks.count;
        const response = await request({ login, email });
        assert.equal(response.statusCode, 200);
        assert.match(response.body, /<h1>Восстановление пароля<\/h1>/);
        const text = textOf(response.body);
        assert.equal(countOf(text, FAILED), 1);
        // «…или в службу поддержки support@belassist.by.», with the configured address.
        assert.equal(countOf(text, `${FAILED} ${FAILED_HINT} ${SUPPORT}.`), 1, text);
        assert.match(
          response.body,
          new RegExp(`${FAILED_HINT} <a href="mailto:${SUPPORT}">${SUPPORT.replace(/\./g, "\\.")}</a>`),
        );
        assert.doesNotMatch(response.body, /support@belassist\.by/);
        assert.doesNotMatch(text, new RegExp(SENT));
        // The form stays, so the person can correct what they typed.
        assert.match(response.body, /<form method="post" action="\/recovery"/);
        assert.equal((await findMailsTo(t.ctx.db, mailbox)).length, 0);
        assert.equal(t.mailKicks.count, kicks);
        if (userId !== undefined) {
          const [event] = await listAuditEvents(t.ctx.db, { userId, type: "recovery.refused" });
          assert.equal(JSON.parse(String(event?.details)).reason, failure.reason);
        }
      });
    }

    it("without LK_SUPPORT_EMAIL the failure names the seed's support@belassist.by as a mailto link", async () => {
      const defaults = await createTestApp(dialect, FAST_HASH);
      try {
        const response = await browser(defaults.app, freshIp()).postForm("/recovery", {
          login: `nobody_${dialect}`,
          email: "nobody@shop.example",
        });
        assert.equal(
          countOf(textOf(response.body), `${FAILED} ${FAILED_HINT} support@belassist.by.`),
          1,
          textOf(response.body),
        );
        assert.match(response.body, /<a href="mailto:support@belassist\.by">support@belassist\.by<\/a>/);
      } finally {
        await defaults.close();
      }
    });

    it("empty fields get a clear message and no mail", async () => {
      const { login, email } = await seedUser(t.ctx);
      for (const fields of [
        { login: "", email: "" },
        { login, email: "" },
        { login: "", email },
        { login: "   ", email },
      ]) {
        const response = await request(fields);
        assert.equal(response.statusCode, 400, JSON.stringify(fields));
        assert.match(textOf(response.body), /Введите имя пользователя и адрес электронной почты\./);
        assert.doesNotMatch(textOf(response.body), new RegExp(SENT));
      }
      assert.equal((await findMailsTo(t.ctx.db, email)).length, 0);
    });

    it("what was typed is kept in the form after a refusal, escaped", async () => {
      const response = await request({ login: 'x"><script>alert(1)</script>', email: "a@b.example" });
      assert.doesNotMatch(response.body, /<script>alert/);
      assert.match(response.body, /value="x&quot;>&lt;script>alert\(1\)&lt;\/script>"/);
    });
  });

  describe(`recovery mail (${dialect})`, () => {
    let t: TestApp;
    let longTtl: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { ...FAST_HASH, LK_PUBLIC_URL: PUBLIC_URL });
      longTtl = await createTestApp(dialect, {
        ...FAST_HASH,
        LK_PUBLIC_URL: PUBLIC_URL,
        LK_RESET_LINK_TTL: "2h",
      });
    });
    after(async () => {
      await t.close();
      await longTtl.close();
    });

    async function requestMail(
      app: TestApp,
      options: { userLanguage: "ru" | "en"; pageLanguage: "ru" | "en"; headers?: Record<string, string> },
    ) {
      const seeded = await seedUser(app.ctx, { language: options.userLanguage, fullName: "Anna Petrova" });
      const b = browser(app.app, freshIp());
      await b.get(`/language/${options.pageLanguage}?next=/recovery`);
      const response = await b.postForm(
        "/recovery",
        { login: seeded.login, email: seeded.email },
        { headers: options.headers },
      );
      assert.equal(response.statusCode, 200);
      const mails = await findMailsTo(app.ctx.db, seeded.email);
      assert.equal(mails.length, 1);
      return { mail: mails[0]!, response, seeded };
    }

    it("«Письмо … будет сгенерировано на том языке, который был задан для данного пользователя»: English user, Russian page → English mail", async () => {
      const { mail, response, seeded } = await requestMail(t, { userLanguage: "en", pageLanguage: "ru" });
      // The page answers in the page's language ...
      assert.match(textOf(response.body), new RegExp(SENT));
      // ... the mail in the user's.
      assert.equal(mail.subject, "Password recovery for the merchant cabinet");
      assert.match(mail.text_body, /^Hello Anna Petrova,/);
      assert.match(
        mail.text_body,
        new RegExp(`Password recovery was requested for the account ${seeded.login}\\.`),
      );
      assert.match(mail.text_body, /The link is valid for 30 minutes\./);
      assert.match(mail.html_body, /<html lang="en">/);
      assert.match(mail.html_body, /The link is valid for 30 minutes\./);
      assert.match(mail.html_body, />Set a new password<\/a>/);
      assert.doesNotMatch(mail.text_body + mail.subject, /[А-Яа-яЁё]/, "no Russian in an English mail");
    });

    it("Russian user, English page → Russian mail", async () => {
      const { mail, response, seeded } = await requestMail(t, { userLanguage: "ru", pageLanguage: "en" });
      assert.match(textOf(response.body), /A password recovery link has been sent to your e-mail\./);
      assert.equal(mail.subject, "Восстановление пароля в личном кабинете");
      assert.match(mail.text_body, /^Здравствуйте, Anna Petrova!/);
      assert.match(
        mail.text_body,
        new RegExp(`Для учетной записи ${seeded.login} запрошено восстановление пароля\\.`),
      );
      // Seed: «Время действия ссылки будет указано в письме.»
      assert.match(mail.text_body, /Ссылка действительна в течение 30 минут\./);
      assert.match(mail.html_body, /<html lang="ru">/);
      assert.match(mail.html_body, /Ссылка действительна в течение 30 минут\./);
      assert.match(mail.html_body, />Задать новый пароль<\/a>/);
    });

    it("both the plain-text and the HTML part carry the same link, built from LK_PUBLIC_URL", async () => {
      const { mail } = await requestMail(t, { userLanguage: "ru", pageLanguage: "ru" });
      const [link] = resetLinksIn(mail.text_body);
      assert.ok(link, mail.text_body);
      assert.ok(link.startsWith(`${PUBLIC_URL}/recovery/reset/`), link);
      assert.match(link, /\/recovery\/reset\/[\w-]{43}$/, "a 256-bit token in base64url");
      assert.ok(mail.html_body.includes(`href="${link}"`), "the HTML part links to it");
      assert.deepEqual([...new Set(resetLinksIn(mail.html_body))], [link]);
    });

    it("a forged Host header does not change the link", async () => {
      const { mail } = await requestMail(t, {
        userLanguage: "en",
        pageLanguage: "en",
        headers: {
          host: "evil.example",
          origin: "http://evil.example",
          "x-forwarded-host": "evil.example",
        },
      });
      assert.doesNotMatch(mail.text_body + mail.html_body, /evil\.example/);
      const [link] = resetLinksIn(mail.text_body);
      assert.ok(link?.startsWith(`${PUBLIC_URL}/recovery/reset/`), link);
    });

    it("«Время действия ссылки будет указано в письме»: with LK_RESET_LINK_TTL=2h the mail says «в течение 2 часов» / «for 2 hours»", async () => {
      const ru = await requestMail(longTtl, { userLanguage: "ru", pageLanguage: "ru" });
      assert.match(ru.mail.text_body, /Ссылка действительна в течение 2 часов\./);
      assert.match(ru.mail.html_body, /Ссылка действительна в течение 2 часов\./);
      const en = await requestMail(longTtl, { userLanguage: "en", pageLanguage: "ru" });
      assert.match(en.mail.text_body, /The link is valid for 2 hours\./);
    });
  });
}

// Issue 3, item 3: «A test kills SMTP, requests recovery, restarts SMTP and sees the mail arrive.»
// The whole chain: the recovery form queues the mail, the background sender retries while the mail server is
// down, and once it is back the link in the mail sets a new password.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { DIALECTS } from "../db/test-database.ts";
import { findMailsTo } from "../mail/mail-queue.repository.ts";
import { MailSender } from "../mail/mail-sender.ts";
import { createMailTransport, type MailTransport } from "../mail/mail-transport.ts";
import { linkIn, type SmtpCatcher, startSmtpCatcher } from "../testing/smtp-catcher.ts";
import { browser, createTestApp, seedUser, signedInBrowser, type TestApp } from "../testing/test-app.ts";
import { waitFor } from "../testing/wait-for.ts";

for (const dialect of DIALECTS) {
  describe(`recovery mail survives a mail server outage (${dialect})`, () => {
    let t: TestApp;
    let smtp: SmtpCatcher;
    let transport: MailTransport;
    let sender: MailSender;

    before(async () => {
      smtp = await startSmtpCatcher();
      t = await createTestApp(dialect, {
        LK_PUBLIC_URL: "https://account.demo.example",
        LK_ARGON2_MEMORY_KIB: "1024",
        LK_ARGON2_TIME_COST: "1",
      });
      transport = createMailTransport({ smtpUrl: smtp.url, outboxDir: "/nonexistent-outbox" });
      sender = new MailSender({
        db: t.ctx.db,
        transport,
        from: t.ctx.config.mailFrom,
        logger: pino({ level: "silent" }),
        pollMs: 20,
        retryBaseMs: 50,
        maxRetryMs: 200,
      });
      sender.start();
    });
    after(async () => {
      await sender.stop();
      transport.close();
      await smtp.stop();
      await t.close();
    });

    it("queues while SMTP is down, retries, and delivers a working link once it is back", async () => {
      const user = await seedUser(t.ctx, { language: "ru" });
      await smtp.stop();

      const answer = await browser(t.app, "10.7.0.1").postForm("/recovery", {
        login: user.login,
        email: user.email,
      });
      assert.match(answer.body, /На ваш email отправлена ссылка для восстановления пароля\./);

      // The sender keeps trying and records why it could not deliver; nothing is dropped.
      const failing = await waitFor(async () => {
        const [mail] = await findMailsTo(t.ctx.db, user.email);
        return mail && mail.attempts >= 2 && mail.last_error ? mail : undefined;
      });
      assert.equal(failing.sent_at, null);
      assert.equal(smtp.mailsTo(user.email).length, 0);

      await smtp.start();
      const mail = await smtp.waitForMail((m) => m.to.includes(user.email));
      assert.equal(mail.subject, "Восстановление пароля в личном кабинете");
      const link = linkIn(mail, "/recovery/reset/");
      assert.ok(link.startsWith("https://account.demo.example/recovery/reset/"), link);
      await waitFor(async () => (await findMailsTo(t.ctx.db, user.email))[0]?.sent_at ?? undefined);
      assert.equal(smtp.mailsTo(user.email).length, 1, "delivered once");

      const path = new URL(link).pathname;
      const saved = await browser(t.app, "10.7.0.2").postForm(path, {
        password: "Outage2Fixed",
        repeat: "Outage2Fixed",
      });
      assert.equal(saved.statusCode, 303);
      await signedInBrowser(t.app, user.login, "Outage2Fixed");
    });
  });
}

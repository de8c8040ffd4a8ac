import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, it } from "node:test";
import pino from "pino";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../db/test-database.ts";
import { type SmtpCatcher, startSmtpCatcher } from "../testing/smtp-catcher.ts";
import { waitFor } from "../testing/wait-for.ts";
import { claimDueMails, countUnsentMails, enqueueMail, findMailsTo } from "./mail-queue.repository.ts";
import { MailSender, type MailSenderOptions } from "./mail-sender.ts";
import { newMessageId } from "./mail-templates.tsx";
import { createMailTransport, type MailMessage, type MailTransport } from "./mail-transport.ts";

const FROM = "lk-robot@cabinet.example.org";
const silent = pino({ level: "silent" });

/** Counts finished delivery rounds, so a test can know the sender has looked at the queue. */
class ObservedSender extends MailSender {
  rounds = 0;
  override async deliverDue(): Promise<number> {
    const sent = await super.deliverDue();
    this.rounds += 1;
    return sent;
  }
}

async function queueMail(db: TestDatabase, subject = `Письмо ${randomUUID()}`) {
  const recipient = `${randomUUID()}@example.org`;
  const messageId = newMessageId(FROM);
  const text = `Текст письма\nhttps://lk.example.org/recovery/${randomUUID()}\n`;
  const html = `<!doctype html><html><body><p>HTML-часть: ${subject}</p></body></html>`;
  const id = await enqueueMail(db.db, { recipient, subject, text, html, messageId, now: Date.now() });
  return { id, recipient, subject, text, html, messageId };
}

async function rowOf(db: TestDatabase, recipient: string) {
  const [row] = await findMailsTo(db.db, recipient);
  assert.ok(row, `no queued mail to ${recipient}`);
  return row;
}

for (const dialect of DIALECTS) {
  describe(`MailSender over real SMTP (${dialect})`, () => {
    let db: TestDatabase;
    let smtp: SmtpCatcher;
    const cleanups: (() => Promise<void> | void)[] = [];

    beforeEach(async () => {
      db = await createTestDatabase(dialect);
      smtp = await startSmtpCatcher();
    });
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
      await smtp.stop();
      await db.close();
    });

    function createSender(options: Partial<MailSenderOptions> = {}): ObservedSender {
      const transport = createMailTransport({ smtpUrl: smtp.url, outboxDir: "/nonexistent-outbox" });
      const sender = new ObservedSender({
        db: db.db,
        transport,
        from: FROM,
        logger: silent,
        pollMs: 20,
        retryBaseMs: 50,
        maxRetryMs: 200,
        ...options,
      });
      cleanups.push(async () => {
        await sender.stop();
        transport.close();
      });
      return sender;
    }

    it("delivers a queued mail with recipient, subject, both parts, sender and stable Message-ID", async () => {
      const queued = await queueMail(db, "Восстановление пароля в личном кабинете");
      createSender().start();
      const mail = await smtp.waitForMail((m) => m.to.includes(queued.recipient));
      assert.deepEqual(mail.to, [queued.recipient]);
      assert.equal(mail.from, FROM);
      assert.equal(mail.subject, queued.subject);
      assert.equal(mail.text.trim(), queued.text.trim());
      assert.match(mail.html, /HTML-часть: Восстановление пароля в личном кабинете/);
      assert.equal(mail.messageId, queued.messageId);
      assert.match(mail.raw, /^Auto-Submitted: auto-generated/im);
      const row = await waitFor(async () => {
        const r = await rowOf(db, queued.recipient);
        return r.sent_at !== null && r;
      });
      assert.equal(row.attempts, 1);
      assert.equal(row.last_error, null);
      assert.equal(await countUnsentMails(db.db), 0);
    });

    it("keeps retrying while SMTP is down and delivers exactly once after it comes back on the same port", async () => {
      const port = smtp.port;
      await smtp.stop();
      const sender = createSender();
      sender.start();
      const queued = await queueMail(db);
      sender.kick();

      const failing = await waitFor(
        async () => {
          const row = await rowOf(db, queued.recipient);
          return row.attempts >= 2 && row;
        },
        { message: "two failed delivery attempts recorded" },
      );
      assert.equal(failing.sent_at, null);
      assert.ok(failing.last_error, "the failure is recorded");
      assert.ok(failing.next_attempt_at > failing.created_at, "the next attempt is postponed");
      assert.equal(smtp.mails.length, 0);

      await smtp.start();
      assert.equal(smtp.port, port);
      const mail = await smtp.waitForMail((m) => m.messageId === queued.messageId);
      assert.equal(mail.subject, queued.subject);
      await waitFor(async () => (await rowOf(db, queued.recipient)).sent_at !== null, {
        message: "row marked sent",
      });
      // Once stopped, no round is in flight: what the catcher holds now is all that was ever sent.
      await sender.stop();
      assert.equal(smtp.mailsTo(queued.recipient).length, 1);
      const row = await rowOf(db, queued.recipient);
      assert.ok(row.attempts >= 3, `attempts ${row.attempts}`);
      assert.equal(row.last_error, null);
    });

    it("loses and duplicates nothing when the server restarts mid-queue", async () => {
      const queued = [];
      for (let i = 0; i < 5; i++) queued.push(await queueMail(db, `Письмо ${i + 1}`));

      // Sender A is told to stop while it hands over its second mail, as on SIGTERM during delivery.
      const smtpTransport = createMailTransport({ smtpUrl: smtp.url, outboxDir: "/nonexistent-outbox" });
      let sentByA = 0;
      let stopping: Promise<void> | undefined;
      const transportA: MailTransport = {
        ...smtpTransport,
        async send(message: MailMessage) {
          await smtpTransport.send(message);
          sentByA += 1;
          if (sentByA === 2) stopping = senderA.stop();
        },
      };
      // The default lease (minutes): sender B only gets the rest at once if A handed it back.
      const senderA = new MailSender({
        db: db.db,
        transport: transportA,
        from: FROM,
        logger: silent,
        pollMs: 20,
      });
      cleanups.push(() => smtpTransport.close());
      senderA.start();
      await waitFor(() => sentByA >= 2, { message: "sender A delivered two mails" });
      await stopping;
      assert.ok(sentByA >= 1 && sentByA < 5, `sender A delivered ${sentByA} of 5 before stopping`);
      assert.equal(await countUnsentMails(db.db), 5 - sentByA);

      createSender().start();
      await waitFor(async () => (await countUnsentMails(db.db)) === 0, {
        message: "every mail marked sent",
      });
      const caught = smtp.mails.map((mail) => mail.messageId).sort();
      assert.deepEqual(caught, queued.map((mail) => mail.messageId).sort(), "each mail arrived exactly once");
    });

    it("delivers a mail left leased by a crashed sender once its lease expires", async () => {
      const queued = await queueMail(db);
      // The crashed sender claimed the mail and died before sending it.
      const [claimed] = await claimDueMails(db.db, { now: Date.now(), leaseMs: 300, limit: 10 });
      assert.equal(claimed?.id, queued.id);
      const sender = createSender();
      sender.start();
      await waitFor(() => sender.rounds >= 1);
      assert.equal(smtp.mails.length, 0, "a leased mail is left alone");
      await smtp.waitForMail((m) => m.messageId === queued.messageId);
      await waitFor(async () => (await countUnsentMails(db.db)) === 0);
      await sender.stop();
      assert.equal(smtp.mailsTo(queued.recipient).length, 1);
    });

    it("kick() delivers at once, without waiting for the poll interval", async () => {
      const sender = createSender({ pollMs: 10 * 60_000 });
      sender.start();
      // The first round runs at start on an empty queue; after it the next poll is minutes away.
      await waitFor(() => sender.rounds >= 1, { message: "the first round at start" });
      const queued = await queueMail(db);
      sender.kick();
      // Ten minutes until the next poll: only the kick can bring the mail within the wait.
      await smtp.waitForMail((m) => m.messageId === queued.messageId, 5000);
    });
  });
}

describe("MailSender back-off", () => {
  for (const dialect of DIALECTS) {
    it(`doubles the retry delay up to the maximum and never drops the mail (${dialect})`, async () => {
      const db = await createTestDatabase(dialect);
      try {
        let now = 1_800_000_000_000;
        let up = false;
        const attempts: number[] = [];
        const transport: MailTransport = {
          async send() {
            attempts.push(now);
            if (!up) throw new Error("connect ECONNREFUSED 127.0.0.1:25");
          },
          close() {},
          describe: () => "flaky",
        };
        const sender = new MailSender({
          db: db.db,
          transport,
          from: FROM,
          logger: silent,
          retryBaseMs: 1000,
          maxRetryMs: 8000,
          now: () => now,
        });
        const recipient = `${randomUUID()}@example.org`;
        await enqueueMail(db.db, {
          recipient,
          subject: "s",
          text: "t",
          html: "<p>h</p>",
          messageId: newMessageId(FROM),
          now,
        });
        const start = now;
        const delays: number[] = [];
        for (let i = 0; i < 6; i++) {
          assert.equal(await sender.deliverDue(), 0);
          const row = await rowOf(db, recipient);
          const delay = row.next_attempt_at - now;
          delays.push(delay);
          // Not due a moment before the delay is over.
          now += delay - 1;
          assert.equal(await sender.deliverDue(), 0);
          now += 1;
        }
        assert.deepEqual(delays, [1000, 2000, 4000, 8000, 8000, 8000]);
        assert.equal(attempts.length, 6);
        const failed = await rowOf(db, recipient);
        assert.equal(failed.attempts, 6);
        assert.match(failed.last_error ?? "", /ECONNREFUSED/);
        assert.equal(failed.sent_at, null);

        up = true;
        assert.equal(await sender.deliverDue(), 1);
        const sent = await rowOf(db, recipient);
        assert.equal(sent.sent_at, now);
        assert.equal(sent.attempts, 7);
        assert.ok(now > start);
      } finally {
        await db.close();
      }
    });
  }
});

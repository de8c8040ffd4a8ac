import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { simpleParser } from "mailparser";
import pino from "pino";
import { createTestDatabase, DIALECTS } from "../db/test-database.ts";
import { waitFor } from "../testing/wait-for.ts";
import { countUnsentMails, enqueueMail } from "./mail-queue.repository.ts";
import { MailSender } from "./mail-sender.ts";
import { newMessageId } from "./mail-templates.tsx";
import { createMailTransport, type MailMessage } from "./mail-transport.ts";

const FROM = "no-reply@cabinet.example.org";

function message(n: number): MailMessage {
  return {
    from: FROM,
    to: `user${n}@example.org`,
    subject: `Восстановление пароля №${n}`,
    text: `Здравствуйте!\n\nСсылка: https://lk.example.org/recovery/${n}\n`,
    html: `<p>Здравствуйте! Письмо №${n}</p>`,
    messageId: newMessageId(FROM),
  };
}

describe("outbox transport (no SMTP configured)", () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), "lk-outbox-")), "outbox-test");
  });
  afterEach(() => rmSync(join(dir, ".."), { recursive: true, force: true }));

  it("writes one complete .eml per mail, readable by a mail parser, and no temporary files", async () => {
    const transport = createMailTransport({ outboxDir: dir });
    assert.match(transport.describe(), /outbox/);
    const sent = [message(1), message(2), message(3)];
    for (const mail of sent) await transport.send(mail);

    const files = readdirSync(dir);
    assert.deepEqual(
      files.filter((name) => name.endsWith(".tmp")),
      [],
    );
    const emls = files.filter((name) => name.endsWith(".eml"));
    assert.equal(emls.length, 3, `files: ${files.join(", ")}`);

    const parsed = await Promise.all(emls.map((name) => simpleParser(readFileSync(join(dir, name)))));
    for (const mail of sent) {
      const file = parsed.find((p) => p.messageId === mail.messageId);
      assert.ok(file, `no .eml with Message-ID ${mail.messageId}`);
      assert.equal(file.subject, mail.subject);
      assert.equal(file.text?.trim(), mail.text.trim());
      assert.equal(file.html, mail.html);
      assert.equal(file.from?.value[0]?.address, FROM);
      assert.equal(file.headers.get("auto-submitted"), "auto-generated");
      const to = file.to && !Array.isArray(file.to) ? file.to.value[0]?.address : undefined;
      assert.equal(to, mail.to);
    }
  });

  for (const dialect of DIALECTS) {
    it(`lets the sender deliver queued mail into the folder and record it (${dialect})`, async () => {
      const db = await createTestDatabase(dialect);
      const sender = new MailSender({
        db: db.db,
        transport: createMailTransport({ outboxDir: dir }),
        from: FROM,
        logger: pino({ level: "silent" }),
        pollMs: 20,
      });
      try {
        const messageId = newMessageId(FROM);
        await enqueueMail(db.db, {
          recipient: `${randomUUID()}@example.org`,
          subject: "Пароль изменен",
          text: "Пароль изменен.",
          html: "<p>Пароль изменен.</p>",
          messageId,
          now: Date.now(),
        });
        sender.start();
        await waitFor(async () => (await countUnsentMails(db.db)) === 0, {
          message: "mail recorded as sent",
        });
        const emls = readdirSync(dir).filter((name) => name.endsWith(".eml"));
        assert.equal(emls.length, 1);
        const parsed = await simpleParser(readFileSync(join(dir, emls[0]!)));
        assert.equal(parsed.messageId, messageId);
        assert.equal(parsed.subject, "Пароль изменен");
      } finally {
        await sender.stop();
        await db.close();
      }
    });
  }
});

describe("SMTP transport", () => {
  it("gives up on a server that accepts the connection but never greets, so the mail can be retried", async () => {
    const sockets = new Set<Socket>();
    const silentServer = createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => silentServer.listen(0, "127.0.0.1", resolve));
    const { port } = silentServer.address() as { port: number };
    const transport = createMailTransport({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      outboxDir: "/nonexistent-outbox",
      smtpTimeouts: { connectionMs: 300, greetingMs: 300, socketMs: 300 },
    });
    try {
      let guard: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        transport.send(message(1)).then(
          () => "sent",
          (error: Error) => `failed: ${error.message}`,
        ),
        new Promise<string>((resolve) => {
          guard = setTimeout(() => resolve("still waiting"), 5000);
        }),
      ]);
      clearTimeout(guard);
      assert.match(outcome, /^failed: .*(timeout|Greeting never received)/i);
    } finally {
      transport.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silentServer.close(resolve));
    }
  });
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import nodemailer from "nodemailer";
import { type CaughtMail, linkIn, type SmtpCatcher, startSmtpCatcher } from "./smtp-catcher.ts";
import { waitFor } from "./wait-for.ts";

const sendTo = (catcher: SmtpCatcher, mail: { to: string; subject: string; text: string; html?: string }) =>
  nodemailer
    .createTransport(catcher.url)
    .sendMail({ from: "Cabinet <no-reply@example.org>", messageId: "<m-1@example.org>", ...mail });

describe("SMTP catcher", () => {
  let catcher: SmtpCatcher;
  before(async () => {
    catcher = await startSmtpCatcher();
  });
  after(() => catcher.stop());

  it("catches a real SMTP delivery with its parts, sender, recipients and Message-ID", async () => {
    await sendTo(catcher, {
      to: "anna@example.org",
      subject: "Восстановление пароля",
      text: "Перейдите по ссылке: http://127.0.0.1:3000/recovery/abc?x=1.\n",
      html: "<p>Привет</p>",
    });
    const mail = await catcher.waitForMail((m) => m.subject === "Восстановление пароля");
    assert.equal(mail.from, "no-reply@example.org");
    assert.deepEqual(mail.to, ["anna@example.org"]);
    assert.match(mail.text, /Перейдите по ссылке/);
    assert.match(mail.html, /<p>Привет<\/p>/);
    assert.equal(mail.messageId, "<m-1@example.org>");
    assert.match(mail.raw, /^Message-ID: <m-1@example.org>/im);
    assert.equal(catcher.mailsTo("Anna@Example.ORG").length, 1);
    assert.equal(linkIn(mail, "/recovery/"), "http://127.0.0.1:3000/recovery/abc?x=1");
    assert.throws(() => linkIn(mail, "/nowhere/"), /No link containing "\/nowhere\/"/);
  });

  it("waitForMail resolves with a mail that arrives later and rejects clearly on timeout", async () => {
    const later = catcher.waitForMail((m: CaughtMail) => m.subject === "later");
    await sendTo(catcher, { to: "b@example.org", subject: "later", text: "x" });
    assert.equal((await later).subject, "later");
    await assert.rejects(
      catcher.waitForMail((m) => m.subject === "never", 50),
      /No matching mail .* 50 ms/,
    );
  });

  it("stop() closes the port and start() reopens the same port, keeping the mails", async () => {
    const port = catcher.port;
    const before = catcher.mails.length;
    // A pooled client keeps its connection open: stop() must still free the port.
    const pooled = nodemailer.createTransport({ host: "127.0.0.1", port, pool: true, ignoreTLS: true });
    await pooled.sendMail({ from: "a@example.org", to: "c@example.org", subject: "pooled", text: "x" });
    await catcher.stop();
    await assert.rejects(sendTo(catcher, { to: "c@example.org", subject: "while down", text: "x" }));
    pooled.close();
    await catcher.start();
    assert.equal(catcher.port, port);
    assert.equal(catcher.mails.length, before + 1);
    await sendTo(catcher, { to: "c@example.org", subject: "after restart", text: "x" });
    await catcher.waitForMail((m) => m.subject === "after restart");
    assert.equal(catcher.mails.filter((m) => m.subject === "while down").length, 0);
  });
});

describe("waitFor", () => {
  it("returns the first truthy value", async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { intervalMs: 1 });
    assert.deepEqual(value, { calls: 3 });
  });

  it("rejects with the message on timeout", async () => {
    await assert.rejects(
      waitFor(async () => false, { timeoutMs: 30, intervalMs: 5, message: "mail row sent" }),
      /mail row sent within 30 ms/,
    );
  });
});

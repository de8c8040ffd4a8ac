import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nodemailer from "nodemailer";

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

export interface MailTransport {
  /** Resolves once the server (or the outbox folder) has accepted the mail; rejects otherwise. */
  send(message: MailMessage): Promise<void>;
  close(): void;
  describe(): string;
}

/** How long an SMTP server may stay silent before the attempt fails and the mail waits for its retry. */
export interface SmtpTimeouts {
  connectionMs: number;
  greetingMs: number;
  socketMs: number;
}

const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 30_000 };

/** SMTP when LK_SMTP_URL is set; otherwise `.eml` files in the outbox folder (PRODUCT.md). */
export function createMailTransport(options: {
  smtpUrl?: string;
  outboxDir: string;
  smtpTimeouts?: Partial<SmtpTimeouts>;
}): MailTransport {
  return options.smtpUrl
    ? createSmtpTransport(options.smtpUrl, { ...DEFAULT_SMTP_TIMEOUTS, ...options.smtpTimeouts })
    : createOutboxTransport(options.outboxDir);
}

function createSmtpTransport(url: string, timeouts: SmtpTimeouts): MailTransport {
  // The timeouts go into the transport options: createTransport's second argument holds message defaults,
  // where they would be ignored and a server that accepts but never answers would stall delivery for minutes.
  const transporter = nodemailer.createTransport({
    url,
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
  });
  const safeUrl = new URL(url);
  safeUrl.password = safeUrl.password ? "***" : "";
  return {
    async send(message) {
      await transporter.sendMail({ ...message, headers: { "Auto-Submitted": "auto-generated" } });
    },
    close: () => transporter.close(),
    describe: () => `SMTP ${safeUrl.toString()}`,
  };
}

function createOutboxTransport(dir: string): MailTransport {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    async send(message) {
      const info = await builder.sendMail({ ...message, headers: { "Auto-Submitted": "auto-generated" } });
      mkdirSync(dir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${message.messageId.replace(/[^\w.-]/g, "_")}.eml`;
      // Written under a temporary name and renamed: a reader of the folder never sees half a mail. Flushed to
      // disk before the rename, because the queue records the mail as delivered right after this returns.
      const temporary = join(dir, `.${name}.tmp`);
      const fd = openSync(temporary, "w");
      try {
        writeFileSync(fd, info.message as Buffer);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, join(dir, name));
    },
    close: () => {},
    describe: () => `outbox folder ${dir}`,
  };
}

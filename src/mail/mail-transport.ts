import { mkdirSync, renameSync, writeFileSync } from "node:fs";
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

/** SMTP when LK_SMTP_URL is set; otherwise `.eml` files in the outbox folder (PRODUCT.md). */
export function createMailTransport(options: { smtpUrl?: string; outboxDir: string }): MailTransport {
  return options.smtpUrl ? createSmtpTransport(options.smtpUrl) : createOutboxTransport(options.outboxDir);
}

function createSmtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url, {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as object);
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
      // Written under a temporary name and renamed: a reader of the folder never sees half a mail.
      const temporary = join(dir, `.${name}.tmp`);
      writeFileSync(temporary, info.message as Buffer);
      renameSync(temporary, join(dir, name));
    },
    close: () => {},
    describe: () => `outbox folder ${dir}`,
  };
}

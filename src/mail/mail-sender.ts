import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { DB } from "../db/database.ts";
import { claimDueMails, markMailFailed, markMailSent, releaseMailLeases } from "./mail-queue.repository.ts";
import type { MailTransport } from "./mail-transport.ts";

export interface MailSenderOptions {
  db: Kysely<DB>;
  transport: MailTransport;
  from: string;
  logger: Pick<Logger, "info" | "warn" | "error">;
  pollMs?: number;
  /** First retry delay; doubles with each failure up to maxRetryMs. Mail is never dropped. */
  retryBaseMs?: number;
  maxRetryMs?: number;
  leaseMs?: number;
  now?: () => number;
}

/**
 * Delivers queued mail outside of any request: the recovery page answers in the same time whether a mail
 * was queued or not, and a mail server that is down only delays delivery.
 */
export class MailSender {
  private readonly options: Required<MailSenderOptions>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  /** Set by stop(): the running round finishes the mail in hand and hands the rest back to the queue. */
  private stopRequested = false;

  constructor(options: MailSenderOptions) {
    this.options = {
      pollMs: 1000,
      retryBaseMs: 5000,
      maxRetryMs: 15 * 60_000,
      leaseMs: 2 * 60_000,
      now: Date.now,
      ...options,
    };
  }

  start(): void {
    this.stopped = false;
    this.stopRequested = false;
    this.schedule(0);
  }

  /** Asks for a delivery round now, e.g. right after a request queued a mail. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /**
   * Waits for the mail being handed to the transport, not for the whole queue: a server shutting down with a
   * long queue (or a slow SMTP server) must not hang. The other mails of the claimed batch are released, so
   * the next sender (this server after its restart, or another instance) takes them at once.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopRequested = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One delivery round: every due mail, until none is left. Returns how many were sent. */
  async deliverDue(): Promise<number> {
    const { db, transport, from, now, leaseMs, logger } = this.options;
    let sent = 0;
    for (;;) {
      if (this.stopRequested) return sent;
      const batch = await claimDueMails(db, { now: now(), leaseMs, limit: 20 });
      if (batch.length === 0) return sent;
      for (const [index, mail] of batch.entries()) {
        if (this.stopRequested) {
          await releaseMailLeases(
            db,
            batch.slice(index).map((unsent) => unsent.id),
          );
          return sent;
        }
        // A slow batch can outlive its lease; another sender may own the mail by now, so leave it.
        if (mail.leased_until !== null && mail.leased_until <= now()) continue;
        try {
          await transport.send({
            from,
            to: mail.recipient,
            subject: mail.subject,
            text: mail.text_body,
            html: mail.html_body,
            messageId: mail.message_id,
          });
          await markMailSent(db, mail.id, now());
          sent += 1;
          logger.info({ mailId: mail.id, attempts: mail.attempts + 1 }, "mail delivered");
        } catch (error) {
          const delay = Math.min(this.options.retryBaseMs * 2 ** mail.attempts, this.options.maxRetryMs);
          const message = error instanceof Error ? error.message : String(error);
          await markMailFailed(db, { id: mail.id, error: message, nextAttemptAt: now() + delay });
          logger.warn(
            { mailId: mail.id, attempts: mail.attempts + 1, retryInMs: delay, err: message },
            "mail delivery failed",
          );
        }
      }
    }
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), delayMs);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = this.deliverDue()
      .then(() => undefined)
      .catch((error: unknown) => {
        // The database may be down; the mail stays queued and the next round tries again.
        this.options.logger.error({ err: error }, "mail delivery round failed");
      });
    await this.running;
    this.running = undefined;
    if (this.stopped) return;
    const rerun = this.again;
    this.again = false;
    this.schedule(rerun ? 0 : this.options.pollMs);
  }
}

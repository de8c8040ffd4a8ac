import type { Kysely, Transaction } from "kysely";
import type { DB } from "../db/database.ts";
import type { MailRow } from "./mail-queue.table.ts";

type Db = Kysely<DB> | Transaction<DB>;

export interface OutgoingMail {
  recipient: string;
  subject: string;
  text: string;
  html: string;
}

/** Queues a mail; call it inside the transaction that makes the mail true, so neither exists without the other. */
export async function enqueueMail(
  db: Db,
  mail: OutgoingMail & { messageId: string; now: number },
): Promise<number> {
  const row = await db
    .insertInto("mail_queue")
    .values({
      recipient: mail.recipient,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      message_id: mail.messageId,
      created_at: mail.now,
      attempts: 0,
      next_attempt_at: mail.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Takes a lease on up to `limit` due mails. The conditional update makes the claim safe between
 * several senders (two server instances on one PostgreSQL): only one of them updates a given row.
 */
export async function claimDueMails(
  db: Db,
  claim: { now: number; leaseMs: number; limit: number },
): Promise<MailRow[]> {
  const candidates = await db
    .selectFrom("mail_queue")
    .select("id")
    .where("sent_at", "is", null)
    .where("next_attempt_at", "<=", claim.now)
    .where((eb) => eb.or([eb("leased_until", "is", null), eb("leased_until", "<", claim.now)]))
    .orderBy("id")
    .limit(claim.limit)
    .execute();
  const claimed: MailRow[] = [];
  for (const { id } of candidates) {
    const row = await db
      .updateTable("mail_queue")
      .set({ leased_until: claim.now + claim.leaseMs })
      .where("id", "=", id)
      .where("sent_at", "is", null)
      .where((eb) => eb.or([eb("leased_until", "is", null), eb("leased_until", "<", claim.now)]))
      .returningAll()
      .executeTakeFirst();
    if (row) claimed.push(row);
  }
  return claimed;
}

/** Gives claimed but unattempted mails back to the queue (a sender stopping), so nobody waits for the lease. */
export async function releaseMailLeases(db: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("mail_queue")
    .set({ leased_until: null })
    .where("id", "in", ids)
    .where("sent_at", "is", null)
    .execute();
}

export async function markMailSent(db: Db, id: number, now: number): Promise<void> {
  await db
    .updateTable("mail_queue")
    .set((eb) => ({ sent_at: now, leased_until: null, last_error: null, attempts: eb("attempts", "+", 1) }))
    .where("id", "=", id)
    .execute();
}

export async function markMailFailed(db: Db, failure: { id: number; error: string; nextAttemptAt: number }) {
  await db
    .updateTable("mail_queue")
    .set((eb) => ({
      leased_until: null,
      last_error: failure.error.slice(0, 1000),
      next_attempt_at: failure.nextAttemptAt,
      attempts: eb("attempts", "+", 1),
    }))
    .where("id", "=", failure.id)
    .execute();
}

export async function countUnsentMails(db: Db): Promise<number> {
  const row = await db
    .selectFrom("mail_queue")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("sent_at", "is", null)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

export async function findMailsTo(db: Db, recipient: string): Promise<MailRow[]> {
  return db.selectFrom("mail_queue").selectAll().where("recipient", "=", recipient).orderBy("id").execute();
}

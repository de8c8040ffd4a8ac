import type { Kysely, Transaction } from "kysely";
import type { DB } from "../db/database.ts";
import type { AuditEventRow } from "./audit.table.ts";

type Db = Kysely<DB> | Transaction<DB>;

export type AuditEventType =
  | "sign-in.succeeded"
  | "sign-in.failed"
  | "sign-in.throttled"
  | "sign-out"
  | "session.expired"
  | "account.locked"
  | "user.created"
  | "user.blocked"
  | "user.unblocked"
  | "recovery.requested"
  | "recovery.refused"
  | "recovery.rate-limited"
  | "password.changed"
  | "password.change-failed"
  | "user.language-changed";

export interface AuditEvent {
  type: AuditEventType;
  userId?: number | null;
  enterpriseId?: number | null;
  login?: string | null;
  ip?: string | null;
  details?: Record<string, string | number | boolean | null>;
  now: number;
}

export async function recordAuditEvent(db: Db, event: AuditEvent): Promise<void> {
  await db
    .insertInto("audit_events")
    .values({
      event_type: event.type,
      user_id: event.userId ?? null,
      enterprise_id: event.enterpriseId ?? null,
      login: event.login ?? null,
      ip: event.ip ?? null,
      details: JSON.stringify(event.details ?? {}),
      created_at: event.now,
    })
    .execute();
}

export async function listAuditEvents(
  db: Db,
  filter: { enterpriseId?: number; userId?: number; type?: AuditEventType; limit?: number } = {},
): Promise<AuditEventRow[]> {
  let query = db.selectFrom("audit_events").selectAll();
  if (filter.enterpriseId !== undefined) query = query.where("enterprise_id", "=", filter.enterpriseId);
  if (filter.userId !== undefined) query = query.where("user_id", "=", filter.userId);
  if (filter.type !== undefined) query = query.where("event_type", "=", filter.type);
  return query
    .orderBy("id", "desc")
    .limit(filter.limit ?? 100)
    .execute();
}

/** The sign-in before the current one, shown on the home page so a person notices one they did not make. */
export async function findPreviousSignIn(db: Db, userId: number): Promise<AuditEventRow | undefined> {
  const rows = await db
    .selectFrom("audit_events")
    .selectAll()
    .where("user_id", "=", userId)
    .where("event_type", "=", "sign-in.succeeded")
    .orderBy("id", "desc")
    .limit(2)
    .execute();
  return rows[1];
}

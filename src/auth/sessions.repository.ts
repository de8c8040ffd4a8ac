import type { Kysely, Transaction } from "kysely";
import type { DB } from "../db/database.ts";
import type { SessionRow } from "./sessions.table.ts";

type Db = Kysely<DB> | Transaction<DB>;

export async function insertSession(db: Db, session: SessionRow): Promise<void> {
  await db.insertInto("sessions").values(session).execute();
}

export async function findSession(db: Db, idHash: string): Promise<SessionRow | undefined> {
  return db.selectFrom("sessions").selectAll().where("id_hash", "=", idHash).executeTakeFirst();
}

export async function touchSession(db: Db, idHash: string, now: number): Promise<void> {
  await db.updateTable("sessions").set({ last_seen_at: now }).where("id_hash", "=", idHash).execute();
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom("sessions").where("id_hash", "=", idHash).execute();
}

/** Ends every session of an account, except `keepIdHash` when given (the one that changed the password). */
export async function deleteSessionsOfUser(db: Db, userId: number, keepIdHash?: string): Promise<number> {
  let query = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (keepIdHash) query = query.where("id_hash", "!=", keepIdHash);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteExpiredSessions(db: Db, limits: { idleBefore: number; createdBefore: number }) {
  await db
    .deleteFrom("sessions")
    .where((eb) =>
      eb.or([eb("last_seen_at", "<", limits.idleBefore), eb("created_at", "<", limits.createdBefore)]),
    )
    .execute();
}

export async function countSessionsOfUser(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom("sessions")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

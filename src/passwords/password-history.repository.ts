import type { Kysely, Transaction } from "kysely";
import type { DB } from "../db/database.ts";

type Db = Kysely<DB> | Transaction<DB>;

export async function addPasswordToHistory(
  db: Db,
  entry: { userId: number; passwordHash: string; now: number },
): Promise<void> {
  await db
    .insertInto("password_history")
    .values({ user_id: entry.userId, password_hash: entry.passwordHash, created_at: entry.now })
    .execute();
}

/** The account's latest password hashes, newest first; the first is the current password. */
export async function findRecentPasswordHashes(db: Db, userId: number, count: number): Promise<string[]> {
  const rows = await db
    .selectFrom("password_history")
    .select("password_hash")
    .where("user_id", "=", userId)
    .orderBy("id", "desc")
    .limit(count)
    .execute();
  return rows.map((row) => row.password_hash);
}

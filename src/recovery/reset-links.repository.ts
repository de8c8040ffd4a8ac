import type { Kysely, Transaction } from "kysely";
import type { DB } from "../db/database.ts";
import type { ResetLinkRow } from "./reset-links.table.ts";

type Db = Kysely<DB> | Transaction<DB>;

export async function insertResetLink(
  db: Db,
  link: { userId: number; tokenHash: string; now: number; expiresAt: number },
): Promise<void> {
  await db
    .insertInto("reset_links")
    .values({
      user_id: link.userId,
      token_hash: link.tokenHash,
      created_at: link.now,
      expires_at: link.expiresAt,
    })
    .execute();
}

/** Voids every open link of the account: a newer request or a password change supersedes them. */
export async function revokeResetLinksOfUser(db: Db, userId: number, now: number): Promise<void> {
  await db
    .updateTable("reset_links")
    .set({ revoked_at: now })
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .where("revoked_at", "is", null)
    .execute();
}

export async function findResetLink(db: Db, tokenHash: string): Promise<ResetLinkRow | undefined> {
  return db.selectFrom("reset_links").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
}

/** Consumes a link if it is still open; true only for the one caller that consumed it (single use under races). */
export async function consumeResetLink(db: Db, link: { id: number; now: number }): Promise<boolean> {
  const result = await db
    .updateTable("reset_links")
    .set({ used_at: link.now })
    .where("id", "=", link.id)
    .where("used_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", link.now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../db/database.ts";

type Db = Kysely<DB> | Transaction<DB>;

export interface WindowCount {
  hits: number;
  /** When the current window ends and the count starts again from zero. */
  resetsAt: number;
}

/** Counts one hit in a fixed window, starting a new window when the old one has passed; atomic on both dialects. */
export async function hitRateLimit(
  db: Db,
  hit: { bucket: string; windowMs: number; now: number },
): Promise<WindowCount> {
  const expired = sql<boolean>`rate_limits.window_started_at <= ${hit.now - hit.windowMs}`;
  const row = await db
    .insertInto("rate_limits")
    .values({ bucket: hit.bucket, window_started_at: hit.now, hits: 1 })
    .onConflict((oc) =>
      oc.column("bucket").doUpdateSet({
        hits: sql<number>`case when ${expired} then 1 else rate_limits.hits + 1 end`,
        window_started_at: sql<number>`case when ${expired} then ${hit.now} else rate_limits.window_started_at end`,
      }),
    )
    .returning(["hits", "window_started_at"])
    .executeTakeFirstOrThrow();
  return { hits: Number(row.hits), resetsAt: Number(row.window_started_at) + hit.windowMs };
}

/** The current window's count without adding to it. */
export async function peekRateLimit(
  db: Db,
  peek: { bucket: string; windowMs: number; now: number },
): Promise<WindowCount> {
  const row = await db
    .selectFrom("rate_limits")
    .select(["hits", "window_started_at"])
    .where("bucket", "=", peek.bucket)
    .executeTakeFirst();
  if (!row || row.window_started_at <= peek.now - peek.windowMs) return { hits: 0, resetsAt: peek.now };
  return { hits: row.hits, resetsAt: row.window_started_at + peek.windowMs };
}

export async function purgeExpiredRateLimits(db: Db, olderThan: number): Promise<void> {
  await db.deleteFrom("rate_limits").where("window_started_at", "<", olderThan).execute();
}

import type { EpochMs } from "../users/users.table.ts";

/** Fixed-window counters shared by every instance on the same database (sign-in failures per IP, recovery mails). */
export interface RateLimitsTable {
  bucket: string;
  window_started_at: EpochMs;
  hits: number;
}

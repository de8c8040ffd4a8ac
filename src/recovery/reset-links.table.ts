import type { Generated, Selectable } from "kysely";
import type { EpochMs } from "../users/users.table.ts";

export interface ResetLinksTable {
  id: Generated<number>;
  user_id: number;
  /** SHA-256 of the 256-bit token in the mailed link; the token itself is never stored. */
  token_hash: string;
  created_at: EpochMs;
  expires_at: EpochMs;
  used_at: EpochMs | null;
  /** Set when a newer request or a password change made the link void. */
  revoked_at: EpochMs | null;
}

export type ResetLinkRow = Selectable<ResetLinksTable>;

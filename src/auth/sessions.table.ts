import type { Selectable } from "kysely";
import type { EpochMs } from "../users/users.table.ts";

export interface SessionsTable {
  /** SHA-256 of the cookie's random id: a leaked table cannot be replayed as cookies. */
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: EpochMs;
  last_seen_at: EpochMs;
  ip: string;
  user_agent: string;
}

export type SessionRow = Selectable<SessionsTable>;

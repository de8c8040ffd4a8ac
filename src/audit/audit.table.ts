import type { Generated, Selectable } from "kysely";
import type { EpochMs } from "../users/users.table.ts";

export interface AuditEventsTable {
  id: Generated<number>;
  enterprise_id: number | null;
  user_id: number | null;
  /** The login as typed, so attempts on unknown logins are visible too. */
  login: string | null;
  event_type: string;
  ip: string | null;
  /** JSON object with event-specific facts; never a password or a token. */
  details: string;
  created_at: EpochMs;
}

export type AuditEventRow = Selectable<AuditEventsTable>;

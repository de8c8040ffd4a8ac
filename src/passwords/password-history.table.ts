import type { Generated } from "kysely";
import type { EpochMs } from "../users/users.table.ts";

/** Every password an account has had, newest last; the current one is the newest entry. */
export interface PasswordHistoryTable {
  id: Generated<number>;
  user_id: number;
  password_hash: string;
  created_at: EpochMs;
}

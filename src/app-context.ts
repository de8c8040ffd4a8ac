import type { Kysely } from "kysely";
import type { Config } from "./config.ts";
import type { DB } from "./db/database.ts";
import type { PasswordHasher } from "./passwords/password-hasher.ts";

/** What services need from the running instance; tests build one with their own database and clock. */
export interface AppContext {
  db: Kysely<DB>;
  config: Config;
  hasher: PasswordHasher;
  /** Wakes the mail sender after a request queued mail; delivery itself never runs inside a request. */
  mailQueued(): void;
  now(): number;
}

import type { Kysely, Transaction } from "kysely";
import type { DB } from "../db/database.ts";

type Db = Kysely<DB> | Transaction<DB>;

/** Names of every enterprise, for `lk users add` without --merchant (the default needs to know how many exist). */
export async function listEnterpriseNames(db: Db): Promise<string[]> {
  const rows = await db.selectFrom("enterprises").select("name").orderBy("name").execute();
  return rows.map((row) => row.name);
}

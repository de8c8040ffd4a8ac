import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import type { DB } from "./database.ts";
import * as foundation from "./migrations/20261203120000_foundation.ts";

// A static list rather than a folder scan: works the same from source, from a bundle and under tests.
const MIGRATIONS: Record<string, Migration> = {
  "20261203120000_foundation": foundation,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Applies pending migrations; returns the names applied now. Throws if any fails (each runs in a transaction). */
export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

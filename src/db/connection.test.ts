import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { openDatabase } from "./connection.ts";
import { createTestDatabase, DIALECTS } from "./test-database.ts";

describe("openDatabase", () => {
  it("refuses a URL that is neither sqlite: nor postgres://, naming the variable", () => {
    for (const url of ["mysql://localhost/lk", "./data/lk.db", ""]) {
      assert.throws(() => openDatabase(url), /LK_DATABASE_URL/, url);
    }
  });

  it("creates the folder of a new SQLite file and turns on WAL and foreign keys", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lk-connection-"));
    try {
      const path = join(dir, "nested", "deeper", "lk.db");
      const database = openDatabase(`sqlite:${path}`);
      try {
        assert.equal(database.dialect, "sqlite");
        const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.db);
        assert.equal(journal.rows[0]?.journal_mode, "wal");
        const keys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(database.db);
        assert.equal(keys.rows[0]?.foreign_keys, 1);
        assert.ok(existsSync(path));
      } finally {
        await database.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`database connection (${dialect})`, () => {
    it("hands 64-bit integers (epoch milliseconds) back as numbers", async () => {
      const database = await createTestDatabase(dialect);
      try {
        assert.equal(database.dialect, dialect);
        const row = await sql<{ value: number }>`select cast(1900000000123 as bigint) as value`.execute(
          database.db,
        );
        assert.equal(row.rows[0]?.value, 1_900_000_000_123);
      } finally {
        await database.close();
      }
    });
  });
}

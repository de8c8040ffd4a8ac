import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { testUserValues } from "../testing/rows.ts";
import { insertEnterprise, insertUser } from "../users/users.repository.ts";
import type { Database } from "./connection.ts";
import { migrateToLatest } from "./migrate.ts";
import { createEmptyTestDatabase, createTestDatabase, DIALECTS } from "./test-database.ts";

for (const dialect of DIALECTS) {
  describe(`migrations (${dialect})`, () => {
    const opened: Database[] = [];
    after(async () => {
      for (const database of opened) await database.close();
    });

    it("creates every table on an empty database, and a second run applies nothing", async () => {
      const database = await createEmptyTestDatabase(dialect);
      opened.push(database);
      const first = await migrateToLatest(database.db);
      assert.deepEqual(first, ["20261203120000_foundation"]);
      const second = await migrateToLatest(database.db);
      assert.deepEqual(second, []);
      const tables = (await database.db.introspection.getTables()).map((table) => table.name);
      for (const table of [
        "enterprises",
        "merchants",
        "users",
        "user_rights",
        "user_merchants",
        "password_history",
        "sessions",
        "audit_events",
        "mail_queue",
        "reset_links",
        "rate_limits",
      ]) {
        assert.ok(tables.includes(table), `${table} missing on ${dialect}`);
      }
    });

    it("leaves data alone when migrating an already migrated database", async () => {
      const database = await createTestDatabase(dialect);
      opened.push(database);
      const enterprise = await insertEnterprise(database.db, { name: "Kept", now: 1 });
      assert.deepEqual(await migrateToLatest(database.db), []);
      const rows = await database.db.selectFrom("enterprises").select("id").execute();
      assert.deepEqual(
        rows.map((row) => row.id),
        [enterprise.id],
      );
    });

    it("refuses a second login that differs only by case (users.login_key is unique)", async () => {
      const database = await createTestDatabase(dialect);
      opened.push(database);
      const enterprise = await insertEnterprise(database.db, { name: "Case shop", now: 1 });
      await insertUser(database.db, testUserValues(enterprise.id, "Anna.Petrova"));
      await assert.rejects(insertUser(database.db, testUserValues(enterprise.id, "anna.PETROVA")));
      const count = await database.db
        .selectFrom("users")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1);
    });

    it("removes a user's rights, sessions and history with the user (foreign keys cascade)", async () => {
      const database = await createTestDatabase(dialect);
      opened.push(database);
      const { db } = database;
      const enterprise = await insertEnterprise(db, { name: "Cascade shop", now: 1 });
      const user = await insertUser(db, testUserValues(enterprise.id, "cascade"));
      await db.insertInto("user_rights").values({ user_id: user.id, right_id: "export" }).execute();
      await db
        .insertInto("sessions")
        .values({
          id_hash: "h",
          user_id: user.id,
          csrf_token: "c",
          created_at: 1,
          last_seen_at: 1,
          ip: "127.0.0.1",
          user_agent: "",
        })
        .execute();
      await db.deleteFrom("users").where("id", "=", user.id).execute();
      assert.equal((await db.selectFrom("user_rights").selectAll().execute()).length, 0);
      assert.equal((await db.selectFrom("sessions").selectAll().execute()).length, 0);
    });

    it("stores epoch milliseconds beyond 32 bits and reads them back as numbers", async () => {
      const database = await createTestDatabase(dialect);
      opened.push(database);
      const now = 1_900_000_000_123;
      const enterprise = await insertEnterprise(database.db, { name: "Big time", now });
      assert.equal(enterprise.created_at, now);
      assert.equal(typeof enterprise.created_at, "number");
    });
  });
}

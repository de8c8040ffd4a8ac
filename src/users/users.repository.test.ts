import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kysely } from "kysely";
import type { DB } from "../db/database.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../db/test-database.ts";
import { addPasswordToHistory, findRecentPasswordHashes } from "../passwords/password-history.repository.ts";
import { insertTestUser } from "../testing/rows.ts";
import {
  findUserById,
  findUserByLogin,
  findUserRights,
  incrementFailedSignIns,
  listUsers,
  lockUserIfOverThreshold,
  recordSuccessfulSignIn,
  replaceUserRights,
  setUserStatus,
} from "./users.repository.ts";

for (const dialect of DIALECTS) {
  describe(`users repository (${dialect})`, () => {
    let database: TestDatabase;
    let db: Kysely<DB>;
    before(async () => {
      database = await createTestDatabase(dialect);
      db = database.db;
    });
    after(() => database.close());

    it("finds a user by login whatever the case and surrounding spaces", async () => {
      const user = await insertTestUser(db, "Maria.Ivanova");
      assert.equal(user.login, "Maria.Ivanova");
      assert.equal(user.login_key, "maria.ivanova");
      for (const typed of ["Maria.Ivanova", "maria.ivanova", "MARIA.IVANOVA", "  maria.Ivanova "]) {
        assert.equal((await findUserByLogin(db, typed))?.id, user.id, typed);
      }
      assert.equal(await findUserByLogin(db, "maria.ivanov"), undefined);
      assert.equal((await findUserById(db, user.id))?.login, "Maria.Ivanova");
    });

    it("counts failed sign-ins atomically, also under concurrent failures", async () => {
      const user = await insertTestUser(db);
      assert.equal(await incrementFailedSignIns(db, user.id), 1);
      assert.equal(await incrementFailedSignIns(db, user.id), 2);
      const counts = await Promise.all(Array.from({ length: 8 }, () => incrementFailedSignIns(db, user.id)));
      assert.deepEqual(
        [...counts].sort((a, b) => a - b),
        [3, 4, 5, 6, 7, 8, 9, 10],
      );
      assert.equal((await findUserById(db, user.id))?.failed_sign_ins, 10);
    });

    it("starts a lock only once when two failures reach the threshold together", async () => {
      const user = await insertTestUser(db);
      for (let i = 0; i < 3; i += 1) await incrementFailedSignIns(db, user.id);
      const lock = { userId: user.id, threshold: 3, lockedUntil: 5_000 };
      const results = await Promise.all([
        lockUserIfOverThreshold(db, lock),
        lockUserIfOverThreshold(db, lock),
      ]);
      assert.deepEqual([...results].sort(), [false, true]);
      assert.equal(await lockUserIfOverThreshold(db, lock), false);
      const row = await findUserById(db, user.id);
      assert.equal(row?.locked_until, 5_000);
      assert.equal(row?.failed_sign_ins, 0);
    });

    it("does not lock below the threshold", async () => {
      const user = await insertTestUser(db);
      await incrementFailedSignIns(db, user.id);
      await incrementFailedSignIns(db, user.id);
      assert.equal(
        await lockUserIfOverThreshold(db, { userId: user.id, threshold: 3, lockedUntil: 9 }),
        false,
      );
      assert.equal((await findUserById(db, user.id))?.locked_until, null);
    });

    it("resets failures and the lock on a successful sign-in and records its time", async () => {
      const user = await insertTestUser(db);
      for (let i = 0; i < 4; i += 1) await incrementFailedSignIns(db, user.id);
      await lockUserIfOverThreshold(db, { userId: user.id, threshold: 4, lockedUntil: 1_900_000_000_000 });
      await incrementFailedSignIns(db, user.id);
      await recordSuccessfulSignIn(db, user.id, 1_800_000_000_000);
      const row = await findUserById(db, user.id);
      assert.equal(row?.failed_sign_ins, 0);
      assert.equal(row?.locked_until, null);
      assert.equal(row?.last_sign_in_at, 1_800_000_000_000);
    });

    it("changes status and replaces rights", async () => {
      const user = await insertTestUser(db);
      await setUserStatus(db, user.id, "blocked");
      assert.equal((await findUserById(db, user.id))?.status, "blocked");
      await replaceUserRights(db, user.id, ["export", "change-own-password"]);
      assert.deepEqual(await findUserRights(db, user.id), ["change-own-password", "export"]);
      await replaceUserRights(db, user.id, []);
      assert.deepEqual(await findUserRights(db, user.id), []);
      const listed = (await listUsers(db)).find((entry) => entry.login === user.login);
      assert.equal(listed?.status, "blocked");
      assert.deepEqual(listed?.rights, []);
    });
  });

  describe(`password history repository (${dialect})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(dialect);
    });
    after(() => database.close());

    it("returns the latest hashes newest first, limited to the count asked, per account", async () => {
      const { db } = database;
      const user = await insertTestUser(db);
      const other = await insertTestUser(db);
      // Same timestamp on purpose: the order must not depend on created_at ties.
      for (const hash of ["h1", "h2", "h3", "h4"]) {
        await addPasswordToHistory(db, { userId: user.id, passwordHash: hash, now: 1000 });
      }
      await addPasswordToHistory(db, { userId: other.id, passwordHash: "other", now: 2000 });
      assert.deepEqual(await findRecentPasswordHashes(db, user.id, 3), ["h4", "h3", "h2"]);
      assert.deepEqual(await findRecentPasswordHashes(db, user.id, 10), ["h4", "h3", "h2", "h1"]);
      assert.deepEqual(await findRecentPasswordHashes(db, other.id, 3), ["other"]);
    });
  });
}

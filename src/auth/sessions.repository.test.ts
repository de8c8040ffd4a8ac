import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Kysely } from "kysely";
import type { DB } from "../db/database.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../db/test-database.ts";
import { insertTestUser } from "../testing/rows.ts";
import {
  countSessionsOfUser,
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOfUser,
  findSession,
  insertSession,
  touchSession,
} from "./sessions.repository.ts";
import { resolveSession, startSession } from "./sessions.service.ts";
import { hashToken } from "./tokens.ts";

function sessionRow(userId: number, times: { created: number; seen?: number }) {
  return {
    id_hash: randomBytes(32).toString("hex"),
    user_id: userId,
    csrf_token: randomBytes(16).toString("hex"),
    created_at: times.created,
    last_seen_at: times.seen ?? times.created,
    ip: "192.0.2.1",
    user_agent: "test",
  };
}

for (const dialect of DIALECTS) {
  describe(`sessions repository (${dialect})`, () => {
    let database: TestDatabase;
    let db: Kysely<DB>;
    before(async () => {
      database = await createTestDatabase(dialect);
      db = database.db;
    });
    after(() => database.close());

    it("inserts, finds, touches and deletes a session", async () => {
      const user = await insertTestUser(db);
      const row = sessionRow(user.id, { created: 1_000 });
      await insertSession(db, row);
      assert.deepEqual(await findSession(db, row.id_hash), row);
      await touchSession(db, row.id_hash, 2_000);
      assert.equal((await findSession(db, row.id_hash))?.last_seen_at, 2_000);
      await deleteSession(db, row.id_hash);
      assert.equal(await findSession(db, row.id_hash), undefined);
    });

    it("ends every session of one account, optionally keeping one, and no one else's", async () => {
      const user = await insertTestUser(db);
      const other = await insertTestUser(db);
      const rows = [1, 2, 3].map((n) => sessionRow(user.id, { created: n }));
      for (const row of rows) await insertSession(db, row);
      const othersRow = sessionRow(other.id, { created: 1 });
      await insertSession(db, othersRow);

      assert.equal(await deleteSessionsOfUser(db, user.id, rows[0]!.id_hash), 2);
      assert.equal(await countSessionsOfUser(db, user.id), 1);
      assert.ok(await findSession(db, rows[0]!.id_hash));

      assert.equal(await deleteSessionsOfUser(db, user.id), 1);
      assert.equal(await countSessionsOfUser(db, user.id), 0);
      assert.ok(await findSession(db, othersRow.id_hash));
    });

    it("deletes sessions idle too long or older than the absolute lifetime, keeps the rest", async () => {
      const user = await insertTestUser(db);
      const idle = sessionRow(user.id, { created: 5_000, seen: 5_000 });
      const tooOld = sessionRow(user.id, { created: 100, seen: 9_500 });
      const fresh = sessionRow(user.id, { created: 5_000, seen: 9_500 });
      for (const row of [idle, tooOld, fresh]) await insertSession(db, row);
      await deleteExpiredSessions(db, { idleBefore: 9_000, createdBefore: 1_000 });
      assert.equal(await findSession(db, idle.id_hash), undefined);
      assert.equal(await findSession(db, tooOld.id_hash), undefined);
      assert.ok(await findSession(db, fresh.id_hash));
    });
  });

  describe(`sessions service (${dialect})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(dialect);
    });
    after(() => database.close());
    const limits = { idleMs: 15 * 60_000, maxMs: 8 * 3_600_000 };

    it("stores only the SHA-256 of the cookie value and a separate CSRF token", async () => {
      const user = await insertTestUser(database.db);
      const session = await startSession(database.db, {
        userId: user.id,
        ip: "192.0.2.7",
        userAgent: "UA",
        now: 1,
      });
      assert.match(session.cookieValue, /^[\w-]{43}$/);
      assert.equal(session.idHash, hashToken(session.cookieValue));
      assert.notEqual(session.idHash, session.cookieValue);
      assert.equal(await findSession(database.db, session.cookieValue), undefined);
      const row = await findSession(database.db, session.idHash);
      assert.equal(row?.csrf_token, session.csrfToken);
      assert.notEqual(session.csrfToken, session.cookieValue);
    });

    it("gives a new random id every time", async () => {
      const user = await insertTestUser(database.db);
      const start = { userId: user.id, ip: "192.0.2.7", userAgent: "UA", now: 1 };
      const a = await startSession(database.db, start);
      const b = await startSession(database.db, start);
      assert.notEqual(a.cookieValue, b.cookieValue);
      assert.notEqual(a.csrfToken, b.csrfToken);
    });

    it("resolves a live session, expires an idle one and one past its absolute lifetime", async () => {
      const { db } = database;
      const user = await insertTestUser(db);
      const start = 1_000_000;
      const live = await startSession(db, { userId: user.id, ip: "x", userAgent: "", now: start });
      const lookup = (now: number) => resolveSession(db, { cookieValue: live.cookieValue, now, limits });
      assert.equal((await lookup(start + limits.idleMs - 1)).status, "valid");
      assert.equal((await findSession(db, live.idHash))?.last_seen_at, start + limits.idleMs - 1);

      const idle = await startSession(db, { userId: user.id, ip: "x", userAgent: "", now: start });
      const idleLookup = await resolveSession(db, {
        cookieValue: idle.cookieValue,
        now: start + limits.idleMs + 1,
        limits,
      });
      assert.equal(idleLookup.status, "expired");
      assert.equal(await findSession(db, idle.idHash), undefined);

      let now = start;
      const old = await startSession(db, { userId: user.id, ip: "x", userAgent: "", now });
      while (now + 10 * 60_000 < start + limits.maxMs) {
        now += 10 * 60_000;
        assert.equal(
          (await resolveSession(db, { cookieValue: old.cookieValue, now, limits })).status,
          "valid",
        );
      }
      now = start + limits.maxMs + 1;
      assert.equal(
        (await resolveSession(db, { cookieValue: old.cookieValue, now, limits })).status,
        "expired",
      );
      assert.equal(await findSession(db, old.idHash), undefined);
    });

    it("knows no session for a missing or unknown cookie", async () => {
      const now = Date.now();
      assert.equal(
        (await resolveSession(database.db, { cookieValue: undefined, now, limits })).status,
        "none",
      );
      assert.equal(
        (await resolveSession(database.db, { cookieValue: "forged", now, limits })).status,
        "none",
      );
    });
  });
}

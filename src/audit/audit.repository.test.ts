import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../db/test-database.ts";
import { findPreviousSignIn, listAuditEvents, recordAuditEvent } from "./audit.repository.ts";

for (const dialect of DIALECTS) {
  describe(`audit repository (${dialect})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(dialect);
    });
    after(() => database.close());
    // Ids that no other test in this database uses (tests also use id + 1).
    let lastId = 100_000;
    const newId = () => {
      lastId += 10;
      return lastId;
    };

    it("records an event with its facts and lists it back", async () => {
      const { db } = database;
      const userId = newId();
      await recordAuditEvent(db, {
        type: "sign-in.failed",
        userId,
        enterpriseId: 7,
        login: "Anna",
        ip: "192.0.2.4",
        details: { reason: "wrong-password", count: 2, flag: true, none: null },
        now: 1_800_000_000_000,
      });
      const [event] = await listAuditEvents(db, { userId });
      assert.equal(event?.event_type, "sign-in.failed");
      assert.equal(event?.enterprise_id, 7);
      assert.equal(event?.login, "Anna");
      assert.equal(event?.ip, "192.0.2.4");
      assert.equal(event?.created_at, 1_800_000_000_000);
      assert.deepEqual(JSON.parse(event!.details), {
        reason: "wrong-password",
        count: 2,
        flag: true,
        none: null,
      });
    });

    it("stores an event without a user (unknown login) with empty details", async () => {
      const { db } = database;
      const login = `ghost_${randomBytes(3).toString("hex")}`;
      await recordAuditEvent(db, { type: "sign-in.throttled", login, now: 5 });
      const event = (await listAuditEvents(db, { type: "sign-in.throttled" })).find((e) => e.login === login);
      assert.equal(event?.user_id, null);
      assert.equal(event?.enterprise_id, null);
      assert.equal(event?.details, "{}");
    });

    it("lists newest first, filtered by enterprise, user and type, with a limit", async () => {
      const { db } = database;
      const enterpriseId = newId();
      const userId = newId();
      await recordAuditEvent(db, { type: "sign-in.succeeded", enterpriseId, userId, now: 1 });
      await recordAuditEvent(db, { type: "sign-out", enterpriseId, userId, now: 2 });
      await recordAuditEvent(db, { type: "sign-in.succeeded", enterpriseId, userId: userId + 1, now: 3 });
      await recordAuditEvent(db, { type: "sign-in.succeeded", enterpriseId: enterpriseId + 1, now: 4 });

      const ofEnterprise = await listAuditEvents(db, { enterpriseId });
      assert.deepEqual(
        ofEnterprise.map((e) => e.created_at),
        [3, 2, 1],
      );
      assert.deepEqual(
        (await listAuditEvents(db, { enterpriseId, userId })).map((e) => e.event_type),
        ["sign-out", "sign-in.succeeded"],
      );
      assert.deepEqual(
        (await listAuditEvents(db, { enterpriseId, type: "sign-in.succeeded" })).map((e) => e.created_at),
        [3, 1],
      );
      assert.equal((await listAuditEvents(db, { enterpriseId, limit: 2 })).length, 2);
    });

    it("finds the sign-in before the current one, not failures or other users'", async () => {
      const { db } = database;
      const userId = newId();
      assert.equal(await findPreviousSignIn(db, userId), undefined);
      await recordAuditEvent(db, { type: "sign-in.succeeded", userId, ip: "192.0.2.1", now: 10 });
      assert.equal(await findPreviousSignIn(db, userId), undefined, "the first sign-in has no previous one");
      await recordAuditEvent(db, { type: "sign-in.failed", userId, ip: "192.0.2.9", now: 15 });
      await recordAuditEvent(db, { type: "sign-in.succeeded", userId: userId + 1, ip: "192.0.2.8", now: 16 });
      await recordAuditEvent(db, { type: "sign-in.succeeded", userId, ip: "192.0.2.2", now: 20 });
      const previous = await findPreviousSignIn(db, userId);
      assert.equal(previous?.created_at, 10);
      assert.equal(previous?.ip, "192.0.2.1");
    });
  });
}

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../db/test-database.ts";
import { hitRateLimit, peekRateLimit, purgeExpiredRateLimits } from "./rate-limits.repository.ts";

for (const dialect of DIALECTS) {
  describe(`rate limits repository (${dialect})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(dialect);
    });
    after(() => database.close());
    const bucket = () => `test:${randomBytes(6).toString("hex")}`;
    const windowMs = 60_000;

    it("counts hits within one window and tells when it ends", async () => {
      const { db } = database;
      const b = bucket();
      const start = 1_800_000_000_000;
      assert.deepEqual(await hitRateLimit(db, { bucket: b, windowMs, now: start }), {
        hits: 1,
        resetsAt: start + windowMs,
      });
      assert.deepEqual(await hitRateLimit(db, { bucket: b, windowMs, now: start + 10_000 }), {
        hits: 2,
        resetsAt: start + windowMs,
      });
      assert.equal((await hitRateLimit(db, { bucket: b, windowMs, now: start + windowMs - 1 })).hits, 3);
    });

    it("starts again from one after the window has passed", async () => {
      const { db } = database;
      const b = bucket();
      const start = 1_800_000_000_000;
      await hitRateLimit(db, { bucket: b, windowMs, now: start });
      await hitRateLimit(db, { bucket: b, windowMs, now: start + 1 });
      const later = start + windowMs;
      assert.deepEqual(await hitRateLimit(db, { bucket: b, windowMs, now: later }), {
        hits: 1,
        resetsAt: later + windowMs,
      });
      assert.equal((await peekRateLimit(db, { bucket: b, windowMs, now: later + 1 })).hits, 1);
    });

    it("peeks without counting, and sees nothing of an expired window", async () => {
      const { db } = database;
      const b = bucket();
      const now = 1_800_000_000_000;
      assert.deepEqual(await peekRateLimit(db, { bucket: b, windowMs, now }), { hits: 0, resetsAt: now });
      await hitRateLimit(db, { bucket: b, windowMs, now });
      for (let i = 0; i < 3; i += 1) {
        assert.deepEqual(await peekRateLimit(db, { bucket: b, windowMs, now: now + 5 }), {
          hits: 1,
          resetsAt: now + windowMs,
        });
      }
      assert.equal((await hitRateLimit(db, { bucket: b, windowMs, now: now + 6 })).hits, 2);
      assert.equal((await peekRateLimit(db, { bucket: b, windowMs, now: now + windowMs })).hits, 0);
    });

    it("keeps buckets apart and counts concurrent hits exactly", async () => {
      const { db } = database;
      const a = bucket();
      const b = bucket();
      const now = 1_800_000_000_000;
      const results = await Promise.all(
        Array.from({ length: 10 }, () => hitRateLimit(db, { bucket: a, windowMs, now })),
      );
      assert.deepEqual(
        results.map((r) => r.hits).sort((x, y) => x - y),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      );
      assert.equal((await peekRateLimit(db, { bucket: b, windowMs, now })).hits, 0);
    });

    it("purges windows that started before a given time", async () => {
      const { db } = database;
      const old = bucket();
      const recent = bucket();
      await hitRateLimit(db, { bucket: old, windowMs, now: 1_000 });
      await hitRateLimit(db, { bucket: recent, windowMs, now: 1_800_000_000_000 });
      await purgeExpiredRateLimits(db, 2_000);
      const left = await db.selectFrom("rate_limits").select("bucket").execute();
      assert.ok(!left.some((row) => row.bucket === old));
      assert.ok(left.some((row) => row.bucket === recent));
    });
  });
}

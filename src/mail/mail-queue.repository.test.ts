import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, it } from "node:test";
import { openDatabase } from "../db/connection.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../db/test-database.ts";
import {
  claimDueMails,
  countUnsentMails,
  enqueueMail,
  findMailsTo,
  markMailFailed,
  markMailSent,
  releaseMailLeases,
} from "./mail-queue.repository.ts";

const T0 = 1_800_000_000_000;
const LEASE = 60_000;

function queueOne(database: TestDatabase, options: { now?: number; recipient?: string } = {}) {
  const messageId = `<${randomUUID()}@example.org>`;
  const recipient = options.recipient ?? `${randomUUID()}@example.org`;
  return enqueueMail(database.db, {
    recipient,
    subject: "Тема",
    text: "Текст",
    html: "<p>Текст</p>",
    messageId,
    now: options.now ?? T0,
  }).then((id) => ({ id, messageId, recipient }));
}

for (const dialect of DIALECTS) {
  describe(`mail queue repository (${dialect})`, () => {
    // Each test works on its own fresh database, so counts and claims see only its own mail.
    let db: TestDatabase;
    beforeEach(async () => {
      db = await createTestDatabase(dialect);
    });
    afterEach(() => db.close());

    it("enqueues a mail due at once, unsent, with its stable Message-ID", async () => {
      const queued = await queueOne(db);
      const [row] = await findMailsTo(db.db, queued.recipient);
      assert.ok(row);
      assert.equal(row.id, queued.id);
      assert.equal(row.subject, "Тема");
      assert.equal(row.text_body, "Текст");
      assert.equal(row.html_body, "<p>Текст</p>");
      assert.equal(row.message_id, queued.messageId);
      assert.equal(row.created_at, T0);
      assert.equal(row.next_attempt_at, T0);
      assert.equal(row.attempts, 0);
      assert.equal(row.sent_at, null);
      assert.equal(row.leased_until, null);
      assert.equal(await countUnsentMails(db.db), 1);
    });

    it("claims due mails in queue order up to the limit, with a lease", async () => {
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await queueOne(db)).id);
      const claimed = await claimDueMails(db.db, { now: T0, leaseMs: LEASE, limit: 2 });
      assert.deepEqual(
        claimed.map((row) => row.id),
        ids.slice(0, 2),
      );
      for (const row of claimed) assert.equal(row.leased_until, T0 + LEASE);
      const rest = await claimDueMails(db.db, { now: T0, leaseMs: LEASE, limit: 10 });
      assert.deepEqual(
        rest.map((row) => row.id),
        ids.slice(2),
      );
    });

    it("does not claim a leased mail again until the lease has expired", async () => {
      const { id } = await queueOne(db);
      assert.equal((await claimDueMails(db.db, { now: T0, leaseMs: LEASE, limit: 10 })).length, 1);
      assert.deepEqual(await claimDueMails(db.db, { now: T0 + 1, leaseMs: LEASE, limit: 10 }), []);
      assert.deepEqual(await claimDueMails(db.db, { now: T0 + LEASE, leaseMs: LEASE, limit: 10 }), []);
      const again = await claimDueMails(db.db, { now: T0 + LEASE + 1, leaseMs: LEASE, limit: 10 });
      assert.deepEqual(
        again.map((row) => row.id),
        [id],
      );
      assert.equal(again[0]!.leased_until, T0 + 2 * LEASE + 1);
    });

    it("respects the due time: a mail whose next attempt lies ahead is not claimed", async () => {
      await queueOne(db, { now: T0 + 5000 });
      assert.deepEqual(await claimDueMails(db.db, { now: T0 + 4999, leaseMs: LEASE, limit: 10 }), []);
      assert.equal((await claimDueMails(db.db, { now: T0 + 5000, leaseMs: LEASE, limit: 10 })).length, 1);
    });

    it("markMailFailed records the error and the attempt, frees the lease and postpones the mail", async () => {
      const queued = await queueOne(db);
      await claimDueMails(db.db, { now: T0, leaseMs: LEASE, limit: 10 });
      await markMailFailed(db.db, { id: queued.id, error: "connect ECONNREFUSED", nextAttemptAt: T0 + 1000 });
      const [row] = await findMailsTo(db.db, queued.recipient);
      assert.equal(row!.attempts, 1);
      assert.equal(row!.last_error, "connect ECONNREFUSED");
      assert.equal(row!.next_attempt_at, T0 + 1000);
      assert.equal(row!.leased_until, null);
      assert.equal(row!.sent_at, null);
      // Not due before its next attempt, although the lease is gone; due afterwards.
      assert.deepEqual(await claimDueMails(db.db, { now: T0 + 999, leaseMs: LEASE, limit: 10 }), []);
      assert.equal((await claimDueMails(db.db, { now: T0 + 1000, leaseMs: LEASE, limit: 10 })).length, 1);
      await markMailFailed(db.db, { id: queued.id, error: "x".repeat(5000), nextAttemptAt: T0 + 3000 });
      const [second] = await findMailsTo(db.db, queued.recipient);
      assert.equal(second!.attempts, 2);
      assert.equal(second!.last_error!.length, 1000);
      assert.equal(await countUnsentMails(db.db), 1);
    });

    it("markMailSent records delivery; a sent mail is never claimed again", async () => {
      const queued = await queueOne(db);
      await claimDueMails(db.db, { now: T0, leaseMs: LEASE, limit: 10 });
      await markMailFailed(db.db, { id: queued.id, error: "timeout", nextAttemptAt: T0 + 10 });
      await claimDueMails(db.db, { now: T0 + 10, leaseMs: LEASE, limit: 10 });
      await markMailSent(db.db, queued.id, T0 + 20);
      const [row] = await findMailsTo(db.db, queued.recipient);
      assert.equal(row!.sent_at, T0 + 20);
      assert.equal(row!.attempts, 2);
      assert.equal(row!.last_error, null);
      assert.equal(row!.leased_until, null);
      assert.equal(await countUnsentMails(db.db), 0);
      assert.deepEqual(await claimDueMails(db.db, { now: T0 + 10 * LEASE, leaseMs: LEASE, limit: 10 }), []);
    });

    it("releaseMailLeases hands claimed mail back at once, but never a sent one", async () => {
      const first = await queueOne(db);
      const second = await queueOne(db);
      await claimDueMails(db.db, { now: T0, leaseMs: LEASE, limit: 10 });
      await markMailSent(db.db, first.id, T0 + 1);
      await releaseMailLeases(db.db, [first.id, second.id]);
      const again = await claimDueMails(db.db, { now: T0 + 2, leaseMs: LEASE, limit: 10 });
      assert.deepEqual(
        again.map((row) => row.id),
        [second.id],
      );
    });

    it("finds mails by recipient and counts the unsent ones", async () => {
      const recipient = `${randomUUID()}@example.org`;
      const a = await queueOne(db, { recipient });
      await queueOne(db);
      const b = await queueOne(db, { recipient });
      assert.deepEqual(
        (await findMailsTo(db.db, recipient)).map((row) => row.id),
        [a.id, b.id],
      );
      assert.equal(await countUnsentMails(db.db), 3);
      await markMailSent(db.db, a.id, T0);
      assert.equal(await countUnsentMails(db.db), 2);
    });

    it("two concurrent claims never take the same mail (same pool and two separate connections)", async () => {
      // A second connection to the same database plays a second server instance.
      const other = openDatabase(db.url);
      try {
        for (let round = 0; round < 5; round++) {
          const ids = new Set<number>();
          for (let i = 0; i < 8; i++) ids.add((await queueOne(db)).id);
          const now = T0 + round * 10 * LEASE;
          const claim = { now, leaseMs: LEASE, limit: 20 };
          const [a, b] = await Promise.all([
            claimDueMails(db.db, claim),
            claimDueMails(round % 2 === 0 ? db.db : other.db, claim),
          ]);
          const aIds = a.map((row) => row.id);
          const bIds = b.map((row) => row.id);
          assert.deepEqual(
            aIds.filter((id) => bIds.includes(id)),
            [],
            `round ${round}: both claimed the same mail`,
          );
          assert.deepEqual(
            [...aIds, ...bIds].sort((x, y) => x - y),
            [...ids].sort((x, y) => x - y),
          );
          for (const id of ids) await markMailSent(db.db, id, now);
        }
      } finally {
        await other.close();
      }
    });
  });
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { listAuditEvents } from "../audit/audit.repository.ts";
import { DIALECTS } from "../db/test-database.ts";
import { findMailsTo } from "../mail/mail-queue.repository.ts";
import { browser, createTestApp, seedUser } from "../testing/test-app.ts";
import { findUserById } from "../users/users.repository.ts";

const SEED_FAILURE = "Извините, пользователь с такими логином и паролем не зарегистрирован в системе";
const LOCKOUT = { LK_LOCKOUT_THRESHOLD: "3", LK_LOCKOUT_DURATION: "10m" };
const LOCKOUT_MS = 10 * 60_000;

for (const dialect of DIALECTS) {
  describe(`account lockout (${dialect})`, () => {
    it("locks after the threshold, refuses the right password, audits and mails the owner once", async () => {
      const t = await createTestApp(dialect, LOCKOUT);
      try {
        const { login, password, email, user } = await seedUser(t.ctx, { fullName: "Ирина Петрова" });
        const b = browser(t.app);
        for (let i = 0; i < 3; i += 1) {
          const response = await b.postForm("/sign-in", { login, password: `Wrong${i}abc` });
          assert.ok(response.body.includes(SEED_FAILURE));
        }
        const locked = await findUserById(t.ctx.db, user.id);
        assert.ok(
          locked?.locked_until && locked.locked_until > t.clock.now,
          "locked_until set in the future",
        );

        const refused = await b.postForm("/sign-in", { login, password });
        assert.equal(refused.statusCode, 200);
        assert.ok(refused.body.includes(SEED_FAILURE), "a locked account gets the seed's message");
        assert.equal(b.jar.get("lk-test-session"), undefined);
        // More failures while locked start no new lock and send no new mail.
        await b.postForm("/sign-in", { login, password: "Wrong9abc" });

        const events = await listAuditEvents(t.ctx.db, { userId: user.id, type: "account.locked" });
        assert.equal(events.length, 1);
        assert.equal(JSON.parse(events[0]!.details).failures, 3);

        const mails = await findMailsTo(t.ctx.db, email);
        assert.equal(mails.length, 1, "exactly one lockout mail");
        assert.equal(mails[0]!.subject, "Учетная запись временно заблокирована");
        assert.ok(mails[0]!.text_body.includes("Здравствуйте, Ирина Петрова!"));
        assert.ok(mails[0]!.text_body.includes("10 минут"), mails[0]!.text_body);
        assert.ok(mails[0]!.html_body.includes("Учетная запись временно заблокирована"));
        assert.equal(mails[0]!.sent_at, null, "queued, delivered later by the sender");
        assert.equal(t.mailKicks.count, 1, "the request wakes the mail sender");
      } finally {
        await t.close();
      }
    });

    it("mails an English user in English", async () => {
      const t = await createTestApp(dialect, LOCKOUT);
      try {
        const { login, email } = await seedUser(t.ctx, { language: "en" });
        const b = browser(t.app);
        for (let i = 0; i < 3; i += 1) await b.postForm("/sign-in", { login, password: `Wrong${i}abc` });
        const mails = await findMailsTo(t.ctx.db, email);
        assert.equal(mails.length, 1);
        assert.equal(mails[0]!.subject, "Your account is temporarily locked");
        assert.ok(mails[0]!.text_body.includes("10 minutes"), mails[0]!.text_body);
        assert.ok(!/[а-яё]/i.test(mails[0]!.text_body), "no Russian in an English mail");
      } finally {
        await t.close();
      }
    });

    it("lets the right password in again once the lock has run out", async () => {
      const t = await createTestApp(dialect, LOCKOUT);
      try {
        const { login, password, user } = await seedUser(t.ctx);
        const b = browser(t.app);
        for (let i = 0; i < 3; i += 1) await b.postForm("/sign-in", { login, password: `Wrong${i}abc` });
        t.clock.advance(LOCKOUT_MS - 60_000);
        assert.ok((await b.postForm("/sign-in", { login, password })).body.includes(SEED_FAILURE));
        t.clock.advance(60_000 + 1000);
        const response = await b.postForm("/sign-in", { login, password });
        assert.equal(response.statusCode, 303);
        const row = await findUserById(t.ctx.db, user.id);
        assert.equal(row?.locked_until, null);
        assert.equal(row?.failed_sign_ins, 0);
      } finally {
        await t.close();
      }
    });

    it("counts only consecutive failures: a success resets the counter", async () => {
      const t = await createTestApp(dialect, LOCKOUT);
      try {
        const { login, password, email, user } = await seedUser(t.ctx);
        const b = browser(t.app);
        await b.postForm("/sign-in", { login, password: "Wrong1abc" });
        await b.postForm("/sign-in", { login, password: "Wrong2abc" });
        assert.equal((await findUserById(t.ctx.db, user.id))?.failed_sign_ins, 2);
        assert.equal((await browser(t.app).postForm("/sign-in", { login, password })).statusCode, 303);
        assert.equal((await findUserById(t.ctx.db, user.id))?.failed_sign_ins, 0);
        await b.postForm("/sign-in", { login, password: "Wrong3abc" });
        await b.postForm("/sign-in", { login, password: "Wrong4abc" });
        const response = await browser(t.app).postForm("/sign-in", { login, password });
        assert.equal(response.statusCode, 303, "not locked after 2 + 2 failures split by a success");
        assert.equal((await findUserById(t.ctx.db, user.id))?.locked_until, null);
        assert.equal((await findMailsTo(t.ctx.db, email)).length, 0);
        assert.equal(t.mailKicks.count, 0);
      } finally {
        await t.close();
      }
    });

    it("does not lock on unknown logins or on failures of another account", async () => {
      const t = await createTestApp(dialect, LOCKOUT);
      try {
        const target = await seedUser(t.ctx);
        const other = await seedUser(t.ctx);
        const b = browser(t.app);
        for (let i = 0; i < 4; i += 1) {
          await b.postForm("/sign-in", { login: other.login, password: `Wrong${i}abc` });
          await b.postForm("/sign-in", { login: `${target.login}_x`, password: target.password });
        }
        assert.equal(
          (await browser(t.app).postForm("/sign-in", { login: target.login, password: target.password }))
            .statusCode,
          303,
        );
        assert.ok(
          (
            await browser(t.app).postForm("/sign-in", { login: other.login, password: other.password })
          ).body.includes(SEED_FAILURE),
        );
      } finally {
        await t.close();
      }
    });
  });
}

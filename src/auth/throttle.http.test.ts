import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { listAuditEvents } from "../audit/audit.repository.ts";
import { DIALECTS } from "../db/test-database.ts";
import { browser, createTestApp, seedUser } from "../testing/test-app.ts";

const SEED_FAILURE = "Извините, пользователь с такими логином и паролем не зарегистрирован в системе";
const THROTTLE = { LK_IP_FAILURE_LIMIT: "3", LK_IP_FAILURE_WINDOW: "15m", LK_LOCKOUT_THRESHOLD: "100" };

for (const dialect of DIALECTS) {
  describe(`per-IP sign-in throttling (${dialect})`, () => {
    it("answers 429 with Retry-After and a Russian page after the limit, even for the right password", async () => {
      const t = await createTestApp(dialect, THROTTLE);
      try {
        const { login, password } = await seedUser(t.ctx);
        const attacker = browser(t.app, "203.0.113.5");
        for (let i = 0; i < 3; i += 1) {
          const response = await attacker.postForm("/sign-in", { login: `guess_${i}`, password: "Guess123" });
          assert.equal(response.statusCode, 200);
          assert.ok(response.body.includes(SEED_FAILURE));
        }
        const throttled = await attacker.postForm("/sign-in", { login, password });
        assert.equal(throttled.statusCode, 429);
        const retryAfter = Number(throttled.headers["retry-after"]);
        assert.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${throttled.headers["retry-after"]}`);
        assert.ok(throttled.body.includes("Слишком много попыток входа"));
        assert.ok(throttled.body.includes("15 минут"), "says how long to wait");
        assert.match(String(throttled.headers["content-type"]), /^text\/html/);
        assert.equal(attacker.jar.get("lk-test-session"), undefined);

        const events = await listAuditEvents(t.ctx.db, { type: "sign-in.throttled" });
        assert.equal(events.length, 1);
        assert.equal(events[0]!.ip, "203.0.113.5");
        assert.equal(events[0]!.login, login);
      } finally {
        await t.close();
      }
    });

    it("shows the throttling page in English after a language switch", async () => {
      const t = await createTestApp(dialect, THROTTLE);
      try {
        const attacker = browser(t.app, "203.0.113.6");
        await attacker.get("/language/en");
        for (let i = 0; i < 3; i += 1)
          await attacker.postForm("/sign-in", { login: "x", password: "Guess123" });
        const throttled = await attacker.postForm("/sign-in", { login: "x", password: "Guess123" });
        assert.equal(throttled.statusCode, 429);
        assert.ok(throttled.body.includes("Too many sign-in attempts"));
      } finally {
        await t.close();
      }
    });

    it("leaves other addresses alone", async () => {
      const t = await createTestApp(dialect, THROTTLE);
      try {
        const { login, password } = await seedUser(t.ctx);
        const attacker = browser(t.app, "203.0.113.7");
        for (let i = 0; i < 4; i += 1) await attacker.postForm("/sign-in", { login, password: "Guess123" });
        const neighbour = browser(t.app, "203.0.113.8");
        const failed = await neighbour.postForm("/sign-in", { login, password: "Typo1234" });
        assert.equal(failed.statusCode, 200);
        const response = await neighbour.postForm("/sign-in", { login, password });
        assert.equal(response.statusCode, 303);
      } finally {
        await t.close();
      }
    });

    it("lets the address try again once the window has passed", async () => {
      const t = await createTestApp(dialect, THROTTLE);
      try {
        const { login, password } = await seedUser(t.ctx);
        const b = browser(t.app, "203.0.113.9");
        for (let i = 0; i < 3; i += 1) await b.postForm("/sign-in", { login, password: "Guess123" });
        assert.equal((await b.postForm("/sign-in", { login, password })).statusCode, 429);
        t.clock.advance(10 * 60_000);
        assert.equal((await b.postForm("/sign-in", { login, password })).statusCode, 429, "still inside");
        t.clock.advance(5 * 60_000 + 1000);
        const response = await b.postForm("/sign-in", { login, password });
        assert.equal(response.statusCode, 303);
      } finally {
        await t.close();
      }
    });

    it("does not count successful sign-ins", async () => {
      const t = await createTestApp(dialect, THROTTLE);
      try {
        const { login, password } = await seedUser(t.ctx);
        for (let i = 0; i < 5; i += 1) {
          const response = await browser(t.app, "203.0.113.10").postForm("/sign-in", { login, password });
          assert.equal(response.statusCode, 303);
        }
      } finally {
        await t.close();
      }
    });
  });
}

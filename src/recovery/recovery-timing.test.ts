// Issue 3: «Both answers take the same time within noise: the mail is queued, never sent inside the request»
// (OWASP Forgot Password cheat sheet). The seed's two answers — «На ваш email отправлена ссылка для
// восстановления пароля.» and «Такой пользователь не существует или неверно указан e-mail.» — must not differ
// in time by more than the noise of the machine.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS } from "../db/test-database.ts";
import { findMailsTo } from "../mail/mail-queue.repository.ts";
import { browser, createTestApp, csrfTokenOf, seedUser, type TestApp } from "../testing/test-app.ts";

// The production argon2id parameters on purpose: a password hash slipped into one path must show.
// High limits: this test measures the work of each answer, not the limits (recovery-limits.test.ts does).
const FLOOR_MS = 100;
const NO_LIMITS = {
  LK_RECOVERY_ACCOUNT_LIMIT: "1000",
  LK_RECOVERY_IP_LIMIT: "100000",
  LK_RECOVERY_MIN_RESPONSE: `${FLOOR_MS}ms`,
};

const ROUNDS = 20;
const WARM_UP = 3;

/**
 * The noise bound: the two medians may differ by at most max(5 ms, 10% of the larger median).
 *
 * The two answers are not the same work: the success answer runs about ten SQL statements (rights, two limit
 * counters, void older links, store the link, queue the mail, audit) against about five for the refusal, a
 * gap of ≈1 ms idle and up to ≈12 ms on the busy 2-core test machine. The route therefore answers both no
 * sooner than LK_RECOVERY_MIN_RESPONSE after the request arrived (100 ms here), which leaves only scheduling
 * noise between the medians. Removing the floor fails the "wait for the configured floor" test; a password
 * hash or an SMTP round trip in one path exceeds the floor and fails the median comparison.
 */
function noiseBoundMs(medianA: number, medianB: number): number {
  return Math.max(5, 0.1 * Math.max(medianA, medianB));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

let ipCounter = 0;
function freshIp(): string {
  ipCounter += 1;
  return `10.6.${ipCounter >> 8}.${ipCounter & 255}`;
}

for (const dialect of DIALECTS) {
  describe(`recovery timing (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, NO_LIMITS);
    });
    after(() => t.close());

    /** One POST /recovery with a valid CSRF token; returns the answer and its duration in ms. */
    async function timedRequest(
      session: { cookie: string; csrf: string },
      fields: { login: string; email: string },
    ) {
      const payload = new URLSearchParams({ _csrf: session.csrf, ...fields }).toString();
      const started = process.hrtime.bigint();
      const response = await t.app.inject({
        method: "POST",
        url: "/recovery",
        remoteAddress: freshIp(),
        headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" },
        payload,
      });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      assert.equal(response.statusCode, 200);
      return { response, ms };
    }

    it("the answer for an unknown login and for a known one take the same time within the documented noise bound", async () => {
      const known = await seedUser(t.ctx);
      const unknown = { login: `nobody_${dialect}_${Date.now()}`, email: "nobody@shop.example" };
      const b = browser(t.app, freshIp());
      const page = await b.get("/recovery");
      const session = { cookie: b.jar.header(), csrf: csrfTokenOf(page.body) };

      const times = { known: [] as number[], unknown: [] as number[] };
      for (let round = 0; round < WARM_UP + ROUNDS; round += 1) {
        // Alternate which goes first, so a slow moment of the machine does not always hit the same side.
        const order = round % 2 === 0 ? (["known", "unknown"] as const) : (["unknown", "known"] as const);
        for (const which of order) {
          const { response, ms } = await timedRequest(session, which === "known" ? known : unknown);
          const expected =
            which === "known" ? /На ваш email отправлена ссылка/ : /Такой пользователь не существует/;
          assert.match(response.body, expected);
          if (round >= WARM_UP) times[which].push(ms);
        }
      }
      // Every known request really did the full work: one mail each (no limit held any back).
      assert.equal((await findMailsTo(t.ctx.db, known.email)).length, WARM_UP + ROUNDS);

      const knownMedian = median(times.known);
      const unknownMedian = median(times.unknown);
      const bound = noiseBoundMs(knownMedian, unknownMedian);
      const difference = Math.abs(knownMedian - unknownMedian);
      assert.ok(
        difference < bound,
        `median known ${knownMedian.toFixed(2)} ms vs unknown ${unknownMedian.toFixed(2)} ms: ` +
          `difference ${difference.toFixed(2)} ms exceeds the noise bound ${bound.toFixed(2)} ms`,
      );
    });

    it("both answers wait for the configured floor, so the work behind them does not show", async () => {
      const known = await seedUser(t.ctx);
      const b = browser(t.app, freshIp());
      const page = await b.get("/recovery");
      const session = { cookie: b.jar.header(), csrf: csrfTokenOf(page.body) };
      const sent = await timedRequest(session, known);
      const refused = await timedRequest(session, { login: "nobody-at-all", email: "x@shop.example" });
      assert.match(sent.response.body, /На ваш email отправлена ссылка/);
      assert.match(refused.response.body, /Такой пользователь не существует/);
      // A lower bound only: the floor is a promise about the earliest answer, never about the latest.
      assert.ok(sent.ms >= FLOOR_MS - 1, `success answered after ${sent.ms.toFixed(1)} ms`);
      assert.ok(refused.ms >= FLOOR_MS - 1, `refusal answered after ${refused.ms.toFixed(1)} ms`);
    });

    it("the mail is queued, not sent, inside the request: after the success answer its row exists with sent_at null", async () => {
      const user = await seedUser(t.ctx);
      const response = await browser(t.app, freshIp()).postForm("/recovery", {
        login: user.login,
        email: user.email,
      });
      assert.match(response.body, /На ваш email отправлена ссылка для восстановления пароля\./);
      const mails = await findMailsTo(t.ctx.db, user.email);
      assert.equal(mails.length, 1);
      assert.equal(mails[0]!.sent_at, null);
      assert.equal(mails[0]!.attempts, 0, "no delivery was even attempted");
    });
  });
}

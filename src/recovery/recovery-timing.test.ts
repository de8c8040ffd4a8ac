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
const NO_LIMITS = { LK_RECOVERY_ACCOUNT_LIMIT: "1000", LK_RECOVERY_IP_LIMIT: "100000" };

const ROUNDS = 30;
const WARM_UP = 3;
/**
 * The noise bound: the two medians may differ by at most max(5 ms, 2 × the smaller median), i.e. the slower
 * answer may take up to three times the faster one, or 5 ms more, whichever is larger.
 *
 * Why this wide: the two answers are not the same work. The success answer runs about ten SQL statements
 * (rights, two limit counters, void older links, store the link, queue the mail, audit) against about five for
 * the refusal, so on an idle machine it takes ≈1 ms longer (≈2 ms vs ≈1 ms on SQLite). That is far below
 * network jitter, and the page text tells the two apart anyway (the seed requires it, docs/decisions/002).
 * On the shared 2-core test machine other processes stretch CPU work several-fold, so the gap grows with the
 * load (observed: up to 21 ms vs 9 ms under a load average of 15, and ratios up to 3.1 within 5 ms); the
 * bound scales with the measured medians for that reason and keeps a 5 ms floor for the idle case.
 *
 * What it still catches on a normally loaded machine: a password hash on one path (argon2id with the production
 * parameters used here, ≥13 ms), a network round trip to an SMTP server, or any work that makes one answer
 * several times slower. Delivering the mail inside the request is caught independently of any timing by the
 * sent_at assertion in the second test.
 */
function noiseBoundMs(medianA: number, medianB: number): number {
  return Math.max(5, 2 * Math.min(medianA, medianB));
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

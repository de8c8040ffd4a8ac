// Per-account and per-IP limits on recovery mails (issue 3: «beyond them the page answers as the seed says but
// no new mail is sent, and the event is audited»). The answer stays the seed's
// «На ваш email отправлена ссылка для восстановления пароля.», so the limits tell an attacker nothing new.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { listAuditEvents } from "../audit/audit.repository.ts";
import { DIALECTS } from "../db/test-database.ts";
import { findMailsTo } from "../mail/mail-queue.repository.ts";
import { browser, createTestApp, type SeededUser, seedUser, type TestApp } from "../testing/test-app.ts";

const FAST_HASH = { LK_ARGON2_MEMORY_KIB: "1024", LK_ARGON2_TIME_COST: "1" };
const SENT = /На ваш email отправлена ссылка для восстановления пароля\./;
const HOUR = 3_600_000;

let ipCounter = 0;
function freshIp(): string {
  ipCounter += 1;
  return `10.5.${ipCounter >> 8}.${ipCounter & 255}`;
}

async function requestRecovery(t: TestApp, fields: { login: string; email: string }, ip = freshIp()) {
  const response = await browser(t.app, ip).postForm("/recovery", {
    login: fields.login,
    email: fields.email,
  });
  assert.equal(response.statusCode, 200);
  return response;
}

const mailCount = async (t: TestApp, user: SeededUser) => (await findMailsTo(t.ctx.db, user.email)).length;

for (const dialect of DIALECTS) {
  describe(`recovery limits (${dialect})`, () => {
    let perAccount: TestApp;
    let perIp: TestApp;
    before(async () => {
      perAccount = await createTestApp(dialect, { ...FAST_HASH, LK_RECOVERY_ACCOUNT_LIMIT: "2" });
      perIp = await createTestApp(dialect, {
        ...FAST_HASH,
        LK_RECOVERY_IP_LIMIT: "2",
        LK_RECOVERY_WINDOW: "10m",
      });
    });
    after(async () => {
      await perAccount.close();
      await perIp.close();
    });

    it("LK_RECOVERY_ACCOUNT_LIMIT=2: the third request answers as the seed says, queues no mail and is audited", async () => {
      const t = perAccount;
      const user = await seedUser(t.ctx);
      await requestRecovery(t, user);
      await requestRecovery(t, user);
      assert.equal(await mailCount(t, user), 2);
      const kicks = t.mailKicks.count;

      const third = await requestRecovery(t, user);
      assert.match(third.body, SENT, "the same answer as when a mail goes out");
      assert.doesNotMatch(third.body, /Такой пользователь не существует/);
      assert.equal(await mailCount(t, user), 2, "no third mail");
      assert.equal(t.mailKicks.count, kicks);
      const [event] = await listAuditEvents(t.ctx.db, {
        userId: user.user.id,
        type: "recovery.rate-limited",
      });
      assert.ok(event, "recovery.rate-limited is audited");
      assert.equal(JSON.parse(String(event.details)).accountRequests, 3);

      // The withheld request did not void the link already mailed.
      const mails = await findMailsTo(t.ctx.db, user.email);
      const path = new URL(mails[1]!.text_body.match(/https?:\/\/\S+\/recovery\/reset\/[\w-]+/)![0]).pathname;
      assert.equal((await browser(t.app, freshIp()).get(path)).statusCode, 200);
    });

    it("the account limit is per account: another account still gets its mail", async () => {
      const t = perAccount;
      const flooded = await seedUser(t.ctx);
      const other = await seedUser(t.ctx);
      for (let i = 0; i < 4; i += 1) await requestRecovery(t, flooded);
      assert.equal(await mailCount(t, flooded), 2);
      await requestRecovery(t, other);
      assert.equal(await mailCount(t, other), 1);
    });

    it("after the window (1 h by default) mail flows again", async () => {
      const t = perAccount;
      const user = await seedUser(t.ctx);
      for (let i = 0; i < 3; i += 1) await requestRecovery(t, user);
      assert.equal(await mailCount(t, user), 2);
      t.clock.advance(HOUR - 60_000);
      await requestRecovery(t, user);
      assert.equal(await mailCount(t, user), 2, "still inside the window");
      t.clock.advance(60_000 + 1000);
      const response = await requestRecovery(t, user);
      assert.match(response.body, SENT);
      assert.equal(await mailCount(t, user), 3, "a new window, a new mail");
    });

    it("LK_RECOVERY_IP_LIMIT=2: the third account asked for from one address gets the seed's answer but no mail, audited", async () => {
      const t = perIp;
      const ip = freshIp();
      const [first, second, third] = [await seedUser(t.ctx), await seedUser(t.ctx), await seedUser(t.ctx)];
      await requestRecovery(t, first, ip);
      await requestRecovery(t, second, ip);
      assert.equal(await mailCount(t, first), 1);
      assert.equal(await mailCount(t, second), 1);
      const response = await requestRecovery(t, third, ip);
      assert.match(response.body, SENT);
      assert.equal(await mailCount(t, third), 0);
      const [event] = await listAuditEvents(t.ctx.db, {
        userId: third.user.id,
        type: "recovery.rate-limited",
      });
      assert.ok(event);
      assert.equal(JSON.parse(String(event.details)).ipRequests, 3);
      assert.equal(event.ip, ip);

      // The same account from another address is not held back by that address's limit.
      await requestRecovery(t, third, freshIp());
      assert.equal(await mailCount(t, third), 1);

      // LK_RECOVERY_WINDOW=10m: afterwards the address may ask again.
      t.clock.advance(10 * 60_000 + 1000);
      const fourth = await seedUser(t.ctx);
      await requestRecovery(t, fourth, ip);
      assert.equal(await mailCount(t, fourth), 1);
    });

    it("refused requests count toward the per-IP limit too (guessing logins costs the address its mails)", async () => {
      const t = perIp;
      const ip = freshIp();
      const user = await seedUser(t.ctx);
      for (const login of ["nobody_one", "nobody_two"]) {
        const refused = await requestRecovery(t, { login, email: "x@shop.example" }, ip);
        assert.match(refused.body, /Такой пользователь не существует или неверно указан e-mail\./);
      }
      const response = await requestRecovery(t, user, ip);
      assert.match(response.body, SENT);
      assert.equal(await mailCount(t, user), 0);
    });
  });
}

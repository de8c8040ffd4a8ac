// Settings → password change (issue 3, item 8): «Текущий пароль», «Новый пароль», «Повторите новый пароль»,
// «Сохранить»; the seed's rules, including «Также пароль не может повторять ни один из последних трех паролей,
// использованных ранее для этой учетной записи.»; a wrong current password counts toward the lockout; other
// sessions end, this one stays.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { listAuditEvents } from "../audit/audit.repository.ts";
import { DIALECTS } from "../db/test-database.ts";
import { findMailsTo } from "../mail/mail-queue.repository.ts";
import {
  type Browserish,
  browser,
  createTestApp,
  csrfTokenOf,
  seedUser,
  signedInBrowser,
  type TestApp,
} from "../testing/test-app.ts";
import { findUserById } from "../users/users.repository.ts";

const FAST_HASH = { LK_ARGON2_MEMORY_KIB: "1024", LK_ARGON2_TIME_COST: "1" };
const HISTORY_RU = /Пароль не может повторять ни один из последних трех паролей этой учетной записи\./;
const HISTORY_EN = /The password must not repeat any of the last 3 passwords of this account\./;

const A = "Alpha1111";
const B = "Bravo2222";
const C = "Charlie333";
const D = "Delta4444";

function namedRules(body: string): string[] {
  return [...body.matchAll(/data-rule="(\w+)"/g)].map((match) => match[1]!);
}

function changePassword(b: Browserish, fields: { current: string; password: string; repeat?: string }) {
  return b.postForm(
    "/settings/password",
    { current: fields.current, password: fields.password, repeat: fields.repeat ?? fields.password },
    { from: "/settings" },
  );
}

/** Changes the password through each of `passwords` in turn (the first is the current one). */
async function changeThrough(b: Browserish, passwords: string[]) {
  for (let i = 1; i < passwords.length; i += 1) {
    const response = await changePassword(b, { current: passwords[i - 1]!, password: passwords[i]! });
    assert.equal(response.statusCode, 303, passwords[i]);
  }
}

async function signInStatus(t: TestApp, login: string, password: string) {
  return (await browser(t.app).postForm("/sign-in", { login, password })).statusCode;
}

for (const dialect of DIALECTS) {
  describe(`Settings password change (${dialect})`, () => {
    let t: TestApp;
    let pci: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { ...FAST_HASH, LK_LOCKOUT_THRESHOLD: "2" });
      pci = await createTestApp(dialect, { ...FAST_HASH, LK_PASSWORD_HISTORY: "4" });
    });
    after(async () => {
      await t.close();
      await pci.close();
    });

    it("the form: «Текущий пароль», «Новый пароль», «Повторите новый пароль», «Сохранить»", async () => {
      const user = await seedUser(t.ctx);
      const b = await signedInBrowser(t.app, user.login, user.password);
      const page = await b.get("/settings");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1>Настройки<\/h1>/);
      assert.match(page.body, /<form method="post" action="\/settings\/password"/);
      assert.match(page.body, /<label for="current">Текущий пароль<\/label>/);
      assert.match(page.body, /<label for="password">Новый пароль<\/label>/);
      assert.match(page.body, /<label for="repeat">Повторите новый пароль<\/label>/);
      assert.match(page.body, /<button class="button" type="submit">Сохранить<\/button>/);
      // The rules are shown with the form.
      assert.match(page.body, /длина от 8 до 20 символов включительно/);
      assert.match(page.body, /не совпадает ни с одним из последних трех паролей/);
    });

    it("the form and its rules in English for an English user", async () => {
      const user = await seedUser(t.ctx, { language: "en" });
      const b = await signedInBrowser(t.app, user.login, user.password);
      const page = await b.get("/settings");
      assert.match(page.body, /<label for="current">Current password<\/label>/);
      assert.match(page.body, /<label for="password">New password<\/label>/);
      assert.match(page.body, /<label for="repeat">Repeat the new password<\/label>/);
      assert.match(page.body, />Save<\/button>/);
    });

    it("a successful change: other sessions of the account end, this one stays, the new password works", async () => {
      const user = await seedUser(t.ctx);
      const b = await signedInBrowser(t.app, user.login, user.password);
      const other = await signedInBrowser(t.app, user.login, user.password);
      const unrelated = await seedUser(t.ctx);
      const unrelatedBrowser = await signedInBrowser(t.app, unrelated.login, unrelated.password);
      const kicks = t.mailKicks.count;

      const saved = await changePassword(b, { current: user.password, password: B });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, "/settings?changed=password");
      const after = await b.get("/settings?changed=password");
      assert.equal(after.statusCode, 200, "this session stays");
      assert.match(after.body, /Пароль изменен\. Остальные сеансы этой учетной записи завершены\./);

      const otherHome = await other.get("/");
      assert.equal(otherHome.statusCode, 303, "the other session of the account ended");
      assert.match(String(otherHome.headers.location), /^\/sign-in/);
      assert.equal(
        (await unrelatedBrowser.get("/")).statusCode,
        200,
        "another account's session is untouched",
      );

      assert.equal(await signInStatus(t, user.login, B), 303);
      assert.equal(await signInStatus(t, user.login, user.password), 200);
      const [event] = await listAuditEvents(t.ctx.db, { userId: user.user.id, type: "password.changed" });
      const details = JSON.parse(String(event?.details));
      assert.equal(details.via, "settings");
      assert.equal(details.endedSessions, 1);
      const mails = await findMailsTo(t.ctx.db, user.email);
      assert.equal(mails.filter((mail) => mail.subject === "Пароль в личном кабинете изменен").length, 1);
      assert.equal(t.mailKicks.count, kicks + 1);
    });

    it("«не может повторять ни один из последних трех паролей»: after A→B→C→D the current one and the two before are refused, A is allowed", async () => {
      const user = await seedUser(t.ctx, { password: A });
      const b = await signedInBrowser(t.app, user.login, A);
      await changeThrough(b, [A, B, C, D]);
      for (const refused of [D, C, B]) {
        const response = await changePassword(b, { current: D, password: refused });
        assert.equal(response.statusCode, 422, refused);
        assert.deepEqual(namedRules(response.body), ["history"], refused);
        assert.match(response.body, HISTORY_RU);
        assert.ok(!response.body.includes(refused), "the password is never echoed into the page");
      }
      const allowed = await changePassword(b, { current: D, password: A });
      assert.equal(allowed.statusCode, 303, "the fourth-last password is allowed again");
      assert.equal(await signInStatus(t, user.login, A), 303);
    });

    it("with LK_PASSWORD_HISTORY=4 the fourth-last password is refused as well", async () => {
      const user = await seedUser(pci.ctx, { password: A, language: "en" });
      const b = await signedInBrowser(pci.app, user.login, A);
      await changeThrough(b, [A, B, C, D]);
      const response = await changePassword(b, { current: D, password: A });
      assert.equal(response.statusCode, 422);
      assert.deepEqual(namedRules(response.body), ["history"]);
      assert.match(
        response.body,
        /The password must not repeat any of the last 4 passwords of this account\./,
      );
      assert.match(response.body, /must differ from each of the last 4 passwords/);
    });

    it("the Russian text names the configured count in words: «последних четырех паролей»", async () => {
      const user = await seedUser(pci.ctx, { password: A });
      const b = await signedInBrowser(pci.app, user.login, A);
      const response = await changePassword(b, { current: A, password: A });
      assert.match(
        response.body,
        /Пароль не может повторять ни один из последних четырех паролей этой учетной записи\./,
      );
    });

    it("each failed rule is named in the user's language and nothing typed is echoed back", async () => {
      const user = await seedUser(t.ctx, { language: "en" });
      const b = await signedInBrowser(t.app, user.login, user.password);
      const attempts: Array<{ password: string; repeat?: string; rules: string[]; text: RegExp }> = [
        { password: user.password, rules: ["history"], text: HISTORY_EN },
        { password: "Sh0rt", rules: ["length"], text: /The password must be 8 to 20 characters long\./ },
        {
          password: "Longer1234567890123456",
          rules: ["length"],
          text: /The password must be 8 to 20 characters long\./,
        },
        {
          password: "Пароль1234",
          rules: ["charset", "letterAndDigit"],
          text: /The password may contain only Latin letters \(upper and lower case\) and digits\./,
        },
        { password: "lettersonly", rules: ["letterAndDigit"], text: /both letters and digits\./ },
        {
          password: "Mismatch99",
          repeat: "Mismatch98",
          rules: ["mismatch"],
          text: /The passwords do not match\./,
        },
      ];
      for (const attempt of attempts) {
        const response = await changePassword(b, {
          current: user.password,
          password: attempt.password,
          repeat: attempt.repeat,
        });
        assert.equal(response.statusCode, 422, attempt.password);
        assert.deepEqual(namedRules(response.body), attempt.rules, attempt.password);
        assert.match(response.body, attempt.text);
        for (const typed of [attempt.password, attempt.repeat ?? attempt.password, user.password]) {
          assert.ok(!response.body.includes(typed), `"${typed}" must not be echoed into the page`);
        }
      }
      assert.equal(await signInStatus(t, user.login, user.password), 303, "password unchanged");
    });

    it("a wrong current password is refused, named, and not echoed", async () => {
      const user = await seedUser(t.ctx);
      const b = await signedInBrowser(t.app, user.login, user.password);
      const response = await changePassword(b, { current: "NotMine123", password: B });
      assert.equal(response.statusCode, 422);
      assert.deepEqual(namedRules(response.body), ["currentWrong"]);
      assert.match(response.body, /Текущий пароль указан неверно\./);
      assert.ok(!response.body.includes("NotMine123"));
      assert.ok(!response.body.includes(B));
      const [event] = await listAuditEvents(t.ctx.db, {
        userId: user.user.id,
        type: "password.change-failed",
      });
      assert.ok(event);
      assert.equal(await signInStatus(t, user.login, user.password), 303, "password unchanged");
    });

    it("an empty current password is asked for, without counting as a wrong one", async () => {
      const user = await seedUser(t.ctx);
      const b = await signedInBrowser(t.app, user.login, user.password);
      for (let i = 0; i < 3; i += 1) {
        const response = await changePassword(b, { current: "", password: B });
        assert.equal(response.statusCode, 422);
        assert.deepEqual(namedRules(response.body), ["required"]);
      }
      assert.equal((await findUserById(t.ctx.db, user.user.id))?.locked_until, null);
    });

    it("LK_LOCKOUT_THRESHOLD=2: two wrong current passwords lock the account, end the session and are audited", async () => {
      const user = await seedUser(t.ctx);
      const b = await signedInBrowser(t.app, user.login, user.password);
      const other = await signedInBrowser(t.app, user.login, user.password);
      assert.equal((await changePassword(b, { current: "Wrong1111", password: B })).statusCode, 422);
      const second = await changePassword(b, { current: "Wrong2222", password: B });
      assert.equal(second.statusCode, 303);
      assert.equal(second.headers.location, "/sign-in");
      for (const session of [b, other]) {
        const home = await session.get("/settings");
        assert.equal(home.statusCode, 303, "every session of the account ended");
        assert.match(String(home.headers.location), /^\/sign-in/);
      }
      const stored = await findUserById(t.ctx.db, user.user.id);
      assert.ok(stored?.locked_until && stored.locked_until > t.ctx.now());
      const [locked] = await listAuditEvents(t.ctx.db, { userId: user.user.id, type: "account.locked" });
      assert.ok(locked, "account.locked is audited");
      assert.equal(
        await signInStatus(t, user.login, user.password),
        200,
        "locked: even the right password fails",
      );
      const mails = await findMailsTo(t.ctx.db, user.email);
      assert.equal(
        mails.filter((mail) => mail.subject === "Учетная запись временно заблокирована").length,
        1,
      );
    });

    it("a wrong current password and a failed sign-in share one lockout counter", async () => {
      const user = await seedUser(t.ctx);
      const b = await signedInBrowser(t.app, user.login, user.password);
      assert.equal((await changePassword(b, { current: "Wrong1111", password: B })).statusCode, 422);
      assert.equal(await signInStatus(t, user.login, "Wrong2222"), 200);
      const stored = await findUserById(t.ctx.db, user.user.id);
      assert.ok(stored?.locked_until && stored.locked_until > t.ctx.now(), "locked after 1 + 1 failures");
    });

    it("without change-own-password: no form on the page, and a POST gets 403", async () => {
      const user = await seedUser(t.ctx, { rights: [] });
      const b = await signedInBrowser(t.app, user.login, user.password);
      const page = await b.get("/settings");
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /action="\/settings\/password"/);
      assert.doesNotMatch(page.body, /name="password"/);
      assert.match(
        page.body,
        /У вас нет права изменять собственный пароль\. Обратитесь к администратору предприятия\./,
      );
      // The sign-out form of the page carries the session's CSRF token, so only the right is missing.
      const response = await changePassword(b, { current: user.password, password: B });
      assert.equal(response.statusCode, 403);
      assert.equal(await signInStatus(t, user.login, user.password), 303, "password unchanged");
    });

    it("CSRF: a POST without the token, with a wrong one or from another site gets 403 and changes nothing", async () => {
      const user = await seedUser(t.ctx);
      const b = await signedInBrowser(t.app, user.login, user.password);
      const token = csrfTokenOf((await b.get("/settings")).body);
      const fields = { current: user.password, password: B, repeat: B };
      const post = (body: Record<string, string>, headers: Record<string, string> = {}) =>
        t.app.inject({
          method: "POST",
          url: "/settings/password",
          headers: {
            cookie: b.jar.header(),
            "content-type": "application/x-www-form-urlencoded",
            ...headers,
          },
          payload: new URLSearchParams(body).toString(),
        });
      assert.equal((await post(fields)).statusCode, 403, "no token");
      assert.equal(
        (await post({ ...fields, _csrf: `${token.slice(0, -1)}x` })).statusCode,
        403,
        "wrong token",
      );
      assert.equal(
        (await post({ ...fields, _csrf: token }, { origin: "https://evil.example", host: "localhost:80" }))
          .statusCode,
        403,
        "another site",
      );
      assert.equal(await signInStatus(t, user.login, user.password), 303, "password unchanged");
      // The same request with the token goes through, so the 403s above were the CSRF check.
      assert.equal((await post({ ...fields, _csrf: token })).statusCode, 303);
    });

    it("an anonymous visitor is sent to sign in", async () => {
      const page = await browser(t.app).get("/settings");
      assert.equal(page.statusCode, 303);
      assert.equal(page.headers.location, "/sign-in?next=%2Fsettings");
    });
  });
}

// Forced change of a password issued by someone else (issue 3, item 7): the person sets their own password at
// the first sign-in, before any section, with the same form and the seed's rules:
// «Пароль может иметь длину от 8 до 20 символов включительно … не может повторять ни один из последних трех паролей».
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { listAuditEvents } from "../audit/audit.repository.ts";
import { DIALECTS } from "../db/test-database.ts";
import { browser, createTestApp, seedUser, signedInBrowser, type TestApp } from "../testing/test-app.ts";
import { findUserById } from "../users/users.repository.ts";

const FAST_HASH = { LK_ARGON2_MEMORY_KIB: "1024", LK_ARGON2_TIME_COST: "1" };
const FORCED = "/password/change-required";
const NEW_PASSWORD = "MyOwnPass77";

function namedRules(body: string): string[] {
  return [...body.matchAll(/data-rule="(\w+)"/g)].map((match) => match[1]!);
}

for (const dialect of DIALECTS) {
  describe(`forced password change (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, FAST_HASH);
    });
    after(() => t.close());

    it("signing in with an issued password leads to the change form, not to the cabinet", async () => {
      const user = await seedUser(t.ctx, { temporary: true });
      const b = browser(t.app);
      const signIn = await b.postForm("/sign-in", { login: user.login, password: user.password });
      assert.equal(signIn.statusCode, 303);
      assert.equal(signIn.headers.location, FORCED);
    });

    it("every cabinet page redirects to the change form until the password is changed", async () => {
      const user = await seedUser(t.ctx, { temporary: true });
      const b = await signedInBrowser(t.app, user.login, user.password);
      for (const url of ["/", "/settings", "/settings?changed=password"]) {
        const response = await b.get(url);
        assert.equal(response.statusCode, 303, url);
        assert.equal(response.headers.location, FORCED, url);
      }
      // Nor can the Settings form be used to get around it.
      const settingsPost = await b.postForm(
        "/settings/password",
        { current: user.password, password: NEW_PASSWORD, repeat: NEW_PASSWORD },
        { from: FORCED },
      );
      assert.equal(settingsPost.statusCode, 303);
      assert.equal(settingsPost.headers.location, FORCED);
      assert.equal((await findUserById(t.ctx.db, user.user.id))?.password_temporary, 1);
    });

    it("the form has «Новый пароль», «Повторите новый пароль», «Сохранить» and no current-password field", async () => {
      const user = await seedUser(t.ctx, { temporary: true });
      const b = await signedInBrowser(t.app, user.login, user.password);
      const page = await b.get(FORCED);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1>Смена временного пароля<\/h1>/);
      assert.match(page.body, new RegExp(`<form method="post" action="${FORCED}"`));
      assert.match(page.body, /<label for="password">Новый пароль<\/label>/);
      assert.match(page.body, /<label for="repeat">Повторите новый пароль<\/label>/);
      assert.match(page.body, /<button class="button" type="submit">Сохранить<\/button>/);
      assert.doesNotMatch(page.body, /Текущий пароль/);
      assert.doesNotMatch(page.body, /name="current"/);
    });

    it("the seed's rules apply: the issued password itself is refused by the history rule, and each failed rule is named", async () => {
      const user = await seedUser(t.ctx, { temporary: true });
      const b = await signedInBrowser(t.app, user.login, user.password);
      const attempts: Array<{ password: string; repeat?: string; rules: string[]; text: RegExp }> = [
        {
          password: user.password,
          rules: ["history"],
          text: /Пароль не может повторять ни один из последних трех паролей этой учетной записи\./,
        },
        {
          password: "abc1",
          rules: ["length"],
          text: /Пароль должен содержать от 8 до 20 символов включительно\./,
        },
        {
          password: "Pass word1",
          rules: ["charset"],
          text: /Пароль может содержать только латинские буквы \(прописные и строчные\) и цифры\./,
        },
        {
          password: "123456789",
          rules: ["letterAndDigit"],
          text: /Пароль должен содержать как буквы, так и цифры\./,
        },
        {
          password: NEW_PASSWORD,
          repeat: `${NEW_PASSWORD}x`,
          rules: ["mismatch"],
          text: /Пароли не совпадают\./,
        },
      ];
      for (const attempt of attempts) {
        const response = await b.postForm(FORCED, {
          password: attempt.password,
          repeat: attempt.repeat ?? attempt.password,
        });
        assert.equal(response.statusCode, 422, attempt.password);
        assert.deepEqual(namedRules(response.body), attempt.rules, attempt.password);
        assert.match(response.body, attempt.text);
        assert.ok(!response.body.includes(attempt.password), "the password is never echoed into the page");
      }
      assert.equal((await findUserById(t.ctx.db, user.user.id))?.password_temporary, 1);
    });

    it("after the change the person lands on the cabinet, the password is their own, and the session stays", async () => {
      const user = await seedUser(t.ctx, { temporary: true });
      const b = await signedInBrowser(t.app, user.login, user.password);
      const other = await signedInBrowser(t.app, user.login, user.password);
      const saved = await b.postForm(FORCED, { password: NEW_PASSWORD, repeat: NEW_PASSWORD });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, "/");
      assert.equal((await b.get("/")).statusCode, 200, "this session stays signed in");
      assert.equal((await b.get("/settings")).statusCode, 200);
      const otherHome = await other.get("/");
      assert.equal(otherHome.statusCode, 303, "another session of the account ends");
      assert.match(String(otherHome.headers.location), /^\/sign-in/);

      const stored = await findUserById(t.ctx.db, user.user.id);
      assert.equal(stored?.password_temporary, 0);
      assert.equal(await t.ctx.hasher.verify(stored!.password_hash, NEW_PASSWORD), true);
      const [event] = await listAuditEvents(t.ctx.db, { userId: user.user.id, type: "password.changed" });
      assert.equal(JSON.parse(String(event?.details)).via, "forced-change");

      // The change form is no longer in the way, and the next sign-in goes straight in.
      const again = await b.get(FORCED);
      assert.equal(again.statusCode, 303);
      assert.equal(again.headers.location, "/");
      const fresh = await browser(t.app).postForm("/sign-in", { login: user.login, password: NEW_PASSWORD });
      assert.equal(fresh.headers.location, "/");
    });

    it("the originally requested page is kept through sign-in and the change", async () => {
      const user = await seedUser(t.ctx, { temporary: true });
      const b = browser(t.app);
      const signIn = await b.postForm("/sign-in", {
        login: user.login,
        password: user.password,
        next: "/settings",
      });
      assert.equal(signIn.headers.location, `${FORCED}?next=%2Fsettings`);
      const page = await b.get(String(signIn.headers.location));
      assert.match(page.body, /<input type="hidden" name="next" value="\/settings"\/>/);
      const saved = await b.postForm(
        FORCED,
        { password: NEW_PASSWORD, repeat: NEW_PASSWORD, next: "/settings" },
        { from: String(signIn.headers.location) },
      );
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, "/settings");
    });

    it("a next pointing elsewhere is ignored: the person lands on /", async () => {
      const user = await seedUser(t.ctx, { temporary: true });
      const b = await signedInBrowser(t.app, user.login, user.password);
      const saved = await b.postForm(FORCED, {
        password: NEW_PASSWORD,
        repeat: NEW_PASSWORD,
        next: "//evil.example/phish",
      });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, "/");
    });

    it("an English user gets the form and the errors in English", async () => {
      const user = await seedUser(t.ctx, { temporary: true, language: "en" });
      const b = await signedInBrowser(t.app, user.login, user.password);
      const page = await b.get(FORCED);
      assert.match(page.body, /<label for="password">New password<\/label>/);
      assert.match(page.body, /<label for="repeat">Repeat the new password<\/label>/);
      assert.match(page.body, />Save<\/button>/);
      const rejected = await b.postForm(FORCED, { password: user.password, repeat: user.password });
      assert.match(
        rejected.body,
        /The password must not repeat any of the last 3 passwords of this account\./,
      );
    });

    it("an account with its own password is not sent to the form", async () => {
      const user = await seedUser(t.ctx);
      const b = browser(t.app);
      const signIn = await b.postForm("/sign-in", { login: user.login, password: user.password });
      assert.equal(signIn.headers.location, "/");
      const forced = await b.get(FORCED);
      assert.equal(forced.statusCode, 303);
      assert.equal(forced.headers.location, "/");
      const post = await b.postForm(
        FORCED,
        { password: NEW_PASSWORD, repeat: NEW_PASSWORD },
        { from: "/settings" },
      );
      assert.equal(post.statusCode, 303);
      const stored = await findUserById(t.ctx.db, user.user.id);
      assert.equal(
        await t.ctx.hasher.verify(stored!.password_hash, user.password),
        true,
        "password unchanged",
      );
    });

    it("an anonymous visitor is sent to sign in", async () => {
      const response = await browser(t.app).get(FORCED);
      assert.equal(response.statusCode, 303);
      assert.match(String(response.headers.location), /^\/sign-in/);
    });
  });
}

// The mailed link: «Перейдя по присланной ссылке, пользователь имеет возможность задать новый пароль.»
// and «Ссылка для восстановления пароля действительна в течение ограниченного времени.» (HTTP, both dialects).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { listAuditEvents } from "../audit/audit.repository.ts";
import { hashToken } from "../auth/tokens.ts";
import { DIALECTS } from "../db/test-database.ts";
import { findMailsTo } from "../mail/mail-queue.repository.ts";
import { findRecentPasswordHashes } from "../passwords/password-history.repository.ts";
import {
  type Browserish,
  browser,
  createTestApp,
  type SeededUser,
  seedUser,
  signedInBrowser,
  type TestApp,
} from "../testing/test-app.ts";
import { findUserById, replaceUserRights, setUserStatus } from "../users/users.repository.ts";

const FAST_HASH = { LK_ARGON2_MEMORY_KIB: "1024", LK_ARGON2_TIME_COST: "1" };
const PUBLIC_URL = "https://account.demo.example";
const INVALID = "Ссылка недействительна";
const NEW_PASSWORD = "NewSecret42";

let ipCounter = 0;
function freshIp(): string {
  ipCounter += 1;
  return `10.4.${ipCounter >> 8}.${ipCounter & 255}`;
}

/** Asks for a recovery mail through the page and returns the path of the link in it. */
async function requestLink(t: TestApp, user: SeededUser): Promise<string> {
  const response = await browser(t.app, freshIp()).postForm("/recovery", {
    login: user.login,
    email: user.email,
  });
  assert.equal(response.statusCode, 200);
  assert.match(response.body, /На ваш email отправлена ссылка для восстановления пароля\./);
  const mails = await findMailsTo(t.ctx.db, user.email);
  const links = mails.flatMap(
    (mail) => mail.text_body.match(/https?:\/\/\S+\/recovery\/reset\/[\w-]+/g) ?? [],
  );
  const link = links.at(-1);
  assert.ok(link, "a recovery mail with a link was queued");
  assert.ok(link.startsWith(PUBLIC_URL));
  return new URL(link).pathname;
}

/** Posts the new-password form of a link, with the CSRF token of the recovery page (the link page may be gone). */
function postNewPassword(b: Browserish, path: string, password: string, repeat = password) {
  return b.postForm(path, { password, repeat }, { from: "/recovery" });
}

function assertInvalidLinkPage(response: { statusCode: number; body: string }, why: string) {
  assert.equal(response.statusCode, 410, why);
  assert.match(response.body, new RegExp(INVALID), why);
  assert.match(response.body, /<a class="button" href="\/recovery">Запросить новую ссылку<\/a>/, why);
  assert.doesNotMatch(response.body, /<form/, `${why}: never the form`);
  assert.doesNotMatch(response.body, /name="password"/, why);
}

function assertNewPasswordForm(response: { statusCode: number; body: string }, path: string) {
  assert.equal(response.statusCode, 200);
  assert.match(response.body, /<h1>Новый пароль<\/h1>/);
  assert.match(response.body, new RegExp(`<form method="post" action="${path}"`));
  assert.match(response.body, /<label for="password">Новый пароль<\/label>/);
  assert.match(response.body, /<label for="repeat">Повторите новый пароль<\/label>/);
  assert.match(response.body, /<button class="button" type="submit">Сохранить<\/button>/);
}

async function signInStatus(t: TestApp, login: string, password: string) {
  const response = await browser(t.app, freshIp()).postForm("/sign-in", { login, password });
  return response.statusCode;
}

for (const dialect of DIALECTS) {
  describe(`reset links (${dialect})`, () => {
    let t: TestApp;
    let shortLived: TestApp;
    before(async () => {
      t = await createTestApp(dialect, {
        ...FAST_HASH,
        LK_PUBLIC_URL: PUBLIC_URL,
        LK_LOCKOUT_THRESHOLD: "2",
      });
      shortLived = await createTestApp(dialect, {
        ...FAST_HASH,
        LK_PUBLIC_URL: PUBLIC_URL,
        LK_RESET_LINK_TTL: "45s",
      });
    });
    after(async () => {
      await t.close();
      await shortLived.close();
    });

    it("«Перейдя по присланной ссылке, пользователь имеет возможность задать новый пароль»: the whole path", async () => {
      const user = await seedUser(t.ctx);
      const path = await requestLink(t, user);
      const b = browser(t.app, freshIp());
      const form = await b.get(path);
      assertNewPasswordForm(form, path);
      assert.match(form.body, new RegExp(`Задайте новый пароль для учетной записи ${user.login}\\.`));
      const saved = await postNewPassword(b, path, NEW_PASSWORD);
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, "/sign-in?notice=password-changed");
      // No automatic sign-in: the browser has no session.
      const home = await b.get("/");
      assert.equal(home.statusCode, 303);
      assert.match(String(home.headers.location), /^\/sign-in/);
      const notice = await b.get("/sign-in?notice=password-changed");
      assert.match(notice.body, /Пароль изменен\. Войдите с новым паролем\./);
      assert.equal(await signInStatus(t, user.login, NEW_PASSWORD), 303, "the new password works");
      assert.equal(await signInStatus(t, user.login, user.password), 200, "the old one no longer does");
    });

    it("the link page sends Referrer-Policy: no-referrer and is never cached, valid or not", async () => {
      const user = await seedUser(t.ctx);
      const path = await requestLink(t, user);
      const b = browser(t.app, freshIp());
      for (const url of [path, "/recovery/reset/not-a-token"]) {
        const response = await b.get(url);
        assert.equal(response.headers["referrer-policy"], "no-referrer", url);
        assert.equal(response.headers["cache-control"], "no-store", url);
      }
    });

    it("opening the link does not use it up (mail scanners follow links)", async () => {
      const user = await seedUser(t.ctx);
      const path = await requestLink(t, user);
      const b = browser(t.app, freshIp());
      assertNewPasswordForm(await b.get(path), path);
      assertNewPasswordForm(await b.get(path), path);
      assert.equal((await postNewPassword(b, path, NEW_PASSWORD)).statusCode, 303);
    });

    it("«действительна в течение ограниченного времени»: with LK_RESET_LINK_TTL=45s the link works at 44 s and is invalid after 46 s", async () => {
      const user = await seedUser(shortLived.ctx);
      const path = await requestLink(shortLived, user);
      const mail = (await findMailsTo(shortLived.ctx.db, user.email))[0]!;
      assert.match(mail.text_body, /Ссылка действительна в течение 45 секунд\./);
      const b = browser(shortLived.app, freshIp());
      shortLived.clock.advance(44_000);
      assertNewPasswordForm(await b.get(path), path);
      shortLived.clock.advance(2_000);
      assertInvalidLinkPage(await b.get(path), "GET after expiry");
      assertInvalidLinkPage(await postNewPassword(b, path, NEW_PASSWORD), "POST after expiry");
      assert.equal(await signInStatus(shortLived, user.login, user.password), 303, "password unchanged");
    });

    it("a link works once: used twice, the second time it is invalid", async () => {
      const user = await seedUser(t.ctx);
      const path = await requestLink(t, user);
      const b = browser(t.app, freshIp());
      assert.equal((await postNewPassword(b, path, NEW_PASSWORD)).statusCode, 303);
      assertInvalidLinkPage(await b.get(path), "GET after use");
      assertInvalidLinkPage(await postNewPassword(b, path, "Another123"), "POST after use");
      assert.equal(await signInStatus(t, user.login, NEW_PASSWORD), 303, "the first change stands");
    });

    it("a newer request supersedes the older link; the newer one works", async () => {
      const user = await seedUser(t.ctx);
      const older = await requestLink(t, user);
      const newer = await requestLink(t, user);
      assert.notEqual(older, newer);
      const b = browser(t.app, freshIp());
      assertInvalidLinkPage(await b.get(older), "older link");
      assertInvalidLinkPage(await postNewPassword(b, older, NEW_PASSWORD), "older link, POST");
      assertNewPasswordForm(await b.get(newer), newer);
      assert.equal((await postNewPassword(b, newer, NEW_PASSWORD)).statusCode, 303);
    });

    it("a tampered link (one character changed) is invalid", async () => {
      const user = await seedUser(t.ctx);
      const path = await requestLink(t, user);
      const b = browser(t.app, freshIp());
      for (const position of [path.length - 1, "/recovery/reset/".length, path.length - 20]) {
        const original = path[position]!;
        const tampered = `${path.slice(0, position)}${original === "A" ? "B" : "A"}${path.slice(position + 1)}`;
        assertInvalidLinkPage(await b.get(tampered), `changed at ${position}`);
        assertInvalidLinkPage(
          await postNewPassword(b, tampered, NEW_PASSWORD),
          `POST changed at ${position}`,
        );
      }
      // The real link still works afterwards.
      assertNewPasswordForm(await b.get(path), path);
    });

    it("garbage and very long tokens get the invalid-link page, never a server error", async () => {
      const b = browser(t.app, freshIp());
      const tokens = [
        "abc",
        "%00",
        "..%2F..%2Fsettings",
        "%E2%82%AC".repeat(43),
        "x".repeat(43),
        "x".repeat(101),
        "x".repeat(5000),
        "a/b",
        "'%20OR%201=1--",
      ];
      for (const token of tokens) {
        const url = `/recovery/reset/${token}`;
        assertInvalidLinkPage(await b.get(url), `GET ${token.slice(0, 30)}`);
        assertInvalidLinkPage(await postNewPassword(b, url, NEW_PASSWORD), `POST ${token.slice(0, 30)}`);
      }
    });

    it("only a hash of the token is stored", async () => {
      const user = await seedUser(t.ctx);
      const path = await requestLink(t, user);
      const token = path.split("/").at(-1)!;
      const rows = await t.ctx.db
        .selectFrom("reset_links")
        .selectAll()
        .where("user_id", "=", user.user.id)
        .execute();
      assert.equal(rows.length, 1);
      assert.notEqual(rows[0]!.token_hash, token);
      assert.ok(!rows[0]!.token_hash.includes(token));
      assert.equal(rows[0]!.token_hash, hashToken(token));
      // 256 bits of randomness: 43 base64url characters.
      assert.match(token, /^[\w-]{43}$/);
    });

    it("on success: every session of the account ends, password.changed is audited, the new password enters the history, a confirmation mail is queued", async () => {
      const user = await seedUser(t.ctx, { language: "en" });
      const signedIn = await signedInBrowser(t.app, user.login, user.password);
      assert.equal((await signedIn.get("/")).statusCode, 200);
      const path = await requestLink(t, user);
      const kicks = t.mailKicks.count;
      assert.equal((await postNewPassword(browser(t.app, freshIp()), path, NEW_PASSWORD)).statusCode, 303);

      const home = await signedIn.get("/");
      assert.equal(home.statusCode, 303, "the signed-in browser lost its session");
      assert.match(String(home.headers.location), /^\/sign-in/);

      const [event] = await listAuditEvents(t.ctx.db, { userId: user.user.id, type: "password.changed" });
      assert.ok(event);
      const details = JSON.parse(String(event.details));
      assert.equal(details.via, "reset-link");
      assert.equal(details.endedSessions, 1);

      const [newest] = await findRecentPasswordHashes(t.ctx.db, user.user.id, 3);
      assert.equal(await t.ctx.hasher.verify(newest!, NEW_PASSWORD), true);

      const mails = await findMailsTo(t.ctx.db, user.email);
      const confirmation = mails.filter(
        (mail) => mail.subject === "Your merchant cabinet password was changed",
      );
      assert.equal(confirmation.length, 1, "in the user's language (English)");
      assert.match(
        confirmation[0]!.text_body,
        new RegExp(`The password of the account ${user.login} was changed`),
      );
      assert.doesNotMatch(confirmation[0]!.text_body, new RegExp(NEW_PASSWORD), "never the password itself");
      assert.equal(t.mailKicks.count, kicks + 1);
    });

    it("the confirmation mail of a Russian user is in Russian", async () => {
      const user = await seedUser(t.ctx, { language: "ru" });
      const path = await requestLink(t, user);
      await postNewPassword(browser(t.app, freshIp()), path, NEW_PASSWORD);
      const mails = await findMailsTo(t.ctx.db, user.email);
      assert.equal(mails.filter((mail) => mail.subject === "Пароль в личном кабинете изменен").length, 1);
    });

    it("a successful reset lifts a lockout", async () => {
      const user = await seedUser(t.ctx);
      // LK_LOCKOUT_THRESHOLD=2: two wrong passwords lock the account.
      assert.equal(await signInStatus(t, user.login, "Wrong1234"), 200);
      assert.equal(await signInStatus(t, user.login, "Wrong1234"), 200);
      const locked = await findUserById(t.ctx.db, user.user.id);
      assert.ok(locked?.locked_until && locked.locked_until > t.ctx.now(), "the account is locked");
      assert.equal(
        await signInStatus(t, user.login, user.password),
        200,
        "even the right password is refused",
      );
      const path = await requestLink(t, user);
      assert.equal((await postNewPassword(browser(t.app, freshIp()), path, NEW_PASSWORD)).statusCode, 303);
      const unlocked = await findUserById(t.ctx.db, user.user.id);
      assert.equal(unlocked?.locked_until, null);
      assert.equal(await signInStatus(t, user.login, NEW_PASSWORD), 303);
    });

    it("a mismatched repetition and each failed rule are named, and the link stays usable", async () => {
      const user = await seedUser(t.ctx);
      const path = await requestLink(t, user);
      const b = browser(t.app, freshIp());
      const attempts: Array<{ password: string; repeat?: string; rules: string[]; text: RegExp }> = [
        { password: NEW_PASSWORD, repeat: "NewSecret43", rules: ["mismatch"], text: /Пароли не совпадают\./ },
        {
          password: "Short1",
          rules: ["length"],
          text: /Пароль должен содержать от 8 до 20 символов включительно\./,
        },
        {
          password: "Пароль12345",
          rules: ["charset", "letterAndDigit"],
          text: /Пароль может содержать только латинские буквы \(прописные и строчные\) и цифры\./,
        },
        {
          password: "OnlyLetters",
          rules: ["letterAndDigit"],
          text: /Пароль должен содержать как буквы, так и цифры\./,
        },
        {
          password: user.password,
          rules: ["history"],
          text: /Пароль не может повторять ни один из последних трех паролей этой учетной записи\./,
        },
      ];
      for (const attempt of attempts) {
        const response = await postNewPassword(b, path, attempt.password, attempt.repeat ?? attempt.password);
        assert.equal(response.statusCode, 422, attempt.password);
        const named = [...response.body.matchAll(/data-rule="(\w+)"/g)].map((match) => match[1]);
        assert.deepEqual(named, attempt.rules, attempt.password);
        assert.match(response.body, attempt.text);
        assert.ok(!response.body.includes(attempt.password), "the password is never echoed into the page");
        assertNewPasswordForm(await b.get(path), path);
      }
      assert.equal((await postNewPassword(b, path, NEW_PASSWORD)).statusCode, 303);
      assert.equal(await signInStatus(t, user.login, NEW_PASSWORD), 303);
    });

    it("the new-password page and its errors are in the account's language", async () => {
      const user = await seedUser(t.ctx, { language: "en" });
      const path = await requestLink(t, user);
      const b = browser(t.app, freshIp());
      const form = await b.get(path);
      assert.match(form.body, /<label for="password">New password<\/label>/);
      assert.match(form.body, /<label for="repeat">Repeat the new password<\/label>/);
      assert.match(form.body, />Save<\/button>/);
      const rejected = await postNewPassword(b, path, user.password);
      assert.match(
        rejected.body,
        /The password must not repeat any of the last 3 passwords of this account\./,
      );
      assert.ok(!rejected.body.includes(user.password));
    });

    it("blocked after the mail was sent, or the right withdrawn: the link is invalid", async () => {
      const blocked = await seedUser(t.ctx);
      const blockedPath = await requestLink(t, blocked);
      await setUserStatus(t.ctx.db, blocked.user.id, "blocked");
      const b = browser(t.app, freshIp());
      assertInvalidLinkPage(await b.get(blockedPath), "blocked, GET");
      assertInvalidLinkPage(await postNewPassword(b, blockedPath, NEW_PASSWORD), "blocked, POST");
      const user = await findUserById(t.ctx.db, blocked.user.id);
      assert.equal(
        await t.ctx.hasher.verify(user!.password_hash, blocked.password),
        true,
        "password unchanged",
      );

      const withdrawn = await seedUser(t.ctx);
      const withdrawnPath = await requestLink(t, withdrawn);
      await replaceUserRights(t.ctx.db, withdrawn.user.id, []);
      assertInvalidLinkPage(await b.get(withdrawnPath), "right withdrawn, GET");
      assertInvalidLinkPage(await postNewPassword(b, withdrawnPath, NEW_PASSWORD), "right withdrawn, POST");
    });

    it("an account with an issued (temporary) password that resets it by link owns its password afterwards", async () => {
      const user = await seedUser(t.ctx, { temporary: true });
      const path = await requestLink(t, user);
      assert.equal((await postNewPassword(browser(t.app, freshIp()), path, NEW_PASSWORD)).statusCode, 303);
      assert.equal((await findUserById(t.ctx.db, user.user.id))?.password_temporary, 0);
      const signIn = await browser(t.app, freshIp()).postForm("/sign-in", {
        login: user.login,
        password: NEW_PASSWORD,
      });
      assert.equal(signIn.headers.location, "/", "no forced change any more");
    });

    it("a password changed in Settings voids the open link", async () => {
      const user = await seedUser(t.ctx);
      const path = await requestLink(t, user);
      const signedIn = await signedInBrowser(t.app, user.login, user.password);
      const changed = await signedIn.postForm(
        "/settings/password",
        { current: user.password, password: NEW_PASSWORD, repeat: NEW_PASSWORD },
        { from: "/settings" },
      );
      assert.equal(changed.statusCode, 303);
      assertInvalidLinkPage(await browser(t.app, freshIp()).get(path), "after a Settings change");
    });
  });
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DIALECTS } from "../db/test-database.ts";
import { browser, createTestApp, csrfTokenOf, seedUser, signedInBrowser } from "../testing/test-app.ts";

const FORM = "application/x-www-form-urlencoded";

for (const dialect of DIALECTS) {
  describe(`CSRF protection (${dialect})`, () => {
    /** A browser that has opened the sign-in page: it holds the anonymous CSRF cookie and the form's token. */
    async function openSignInForm(t: Awaited<ReturnType<typeof createTestApp>>) {
      const b = browser(t.app);
      const page = await b.get("/sign-in");
      return { b, token: csrfTokenOf(page.body) };
    }

    async function postSignIn(
      t: Awaited<ReturnType<typeof createTestApp>>,
      cookie: string,
      fields: Record<string, string>,
      headers: Record<string, string> = {},
    ) {
      return t.app.inject({
        method: "POST",
        url: "/sign-in",
        headers: { cookie, "content-type": FORM, host: "localhost:80", ...headers },
        payload: new URLSearchParams(fields).toString(),
      });
    }

    async function sessionCount(t: Awaited<ReturnType<typeof createTestApp>>) {
      return (await t.ctx.db.selectFrom("sessions").selectAll().execute()).length;
    }

    it("signs in with the form's token (control for the cases below)", async () => {
      const t = await createTestApp(dialect);
      try {
        const { login, password } = await seedUser(t.ctx);
        const { b, token } = await openSignInForm(t);
        const response = await postSignIn(t, b.jar.header(), { login, password, _csrf: token });
        assert.equal(response.statusCode, 303);
        assert.equal(await sessionCount(t), 1);
      } finally {
        await t.close();
      }
    });

    it("refuses a sign-in without a token, with a wrong token, or with the token but no cookie", async () => {
      const t = await createTestApp(dialect);
      try {
        const { login, password } = await seedUser(t.ctx);
        const { b, token } = await openSignInForm(t);
        const cases: { name: string; cookie: string; fields: Record<string, string> }[] = [
          { name: "no _csrf", cookie: b.jar.header(), fields: { login, password } },
          { name: "empty _csrf", cookie: b.jar.header(), fields: { login, password, _csrf: "" } },
          {
            name: "wrong _csrf",
            cookie: b.jar.header(),
            fields: { login, password, _csrf: `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}` },
          },
          { name: "token without its cookie", cookie: "", fields: { login, password, _csrf: token } },
        ];
        for (const c of cases) {
          const response = await postSignIn(t, c.cookie, c.fields);
          assert.equal(response.statusCode, 403, c.name);
          assert.ok(response.body.includes("Форма устарела"), c.name);
          assert.ok(!String(response.headers["set-cookie"] ?? "").includes("lk-test-session="), c.name);
        }
        assert.equal(await sessionCount(t), 0);
      } finally {
        await t.close();
      }
    });

    it("refuses a valid token sent from another origin", async () => {
      const t = await createTestApp(dialect);
      try {
        const { login, password } = await seedUser(t.ctx);
        const { b, token } = await openSignInForm(t);
        const foreign: Record<string, string>[] = [
          { origin: "https://evil.example" },
          { origin: "http://localhost:8080" },
          { origin: "null" },
          { "sec-fetch-site": "cross-site" },
        ];
        for (const headers of foreign) {
          const response = await postSignIn(t, b.jar.header(), { login, password, _csrf: token }, headers);
          assert.equal(response.statusCode, 403, JSON.stringify(headers));
        }
        assert.equal(await sessionCount(t), 0);
        const sameOrigin = await postSignIn(
          t,
          b.jar.header(),
          { login, password, _csrf: token },
          { origin: "http://localhost", "sec-fetch-site": "same-origin" },
        );
        assert.equal(sameOrigin.statusCode, 303);
      } finally {
        await t.close();
      }
    });

    it("does not sign out without the session's token, and does with it", async () => {
      const t = await createTestApp(dialect);
      try {
        const { login, password } = await seedUser(t.ctx);
        const b = await signedInBrowser(t.app, login, password);
        const home = await b.get("/");
        const sessionToken = csrfTokenOf(home.body);
        const post = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
          t.app.inject({
            method: "POST",
            url: "/sign-out",
            headers: { cookie: b.jar.header(), "content-type": FORM, ...headers },
            payload: new URLSearchParams(fields).toString(),
          });

        assert.equal((await post({})).statusCode, 403);
        assert.equal((await post({ _csrf: "forged-token-forged-token-forged-token-xxxx" })).statusCode, 403);
        assert.equal(
          (await post({ _csrf: sessionToken }, { origin: "https://evil.example" })).statusCode,
          403,
        );
        assert.equal((await b.get("/")).statusCode, 200, "still signed in");
        assert.equal(await sessionCount(t), 1);

        const response = await post({ _csrf: sessionToken });
        assert.equal(response.statusCode, 303);
        assert.equal(await sessionCount(t), 0);
      } finally {
        await t.close();
      }
    });

    it("does not accept another session's token", async () => {
      const t = await createTestApp(dialect);
      try {
        const alice = await seedUser(t.ctx);
        const bob = await seedUser(t.ctx);
        const a = await signedInBrowser(t.app, alice.login, alice.password);
        const bb = await signedInBrowser(t.app, bob.login, bob.password);
        const bobsToken = csrfTokenOf((await bb.get("/")).body);
        const response = await t.app.inject({
          method: "POST",
          url: "/sign-out",
          headers: { cookie: a.jar.header(), "content-type": FORM },
          payload: new URLSearchParams({ _csrf: bobsToken }).toString(),
        });
        assert.equal(response.statusCode, 403);
        assert.equal((await a.get("/")).statusCode, 200);
      } finally {
        await t.close();
      }
    });
  });
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildApp } from "./app.ts";
import { openDatabase } from "./db/connection.ts";
import { DIALECTS } from "./db/test-database.ts";
import {
  browser,
  createTestApp,
  csrfTokenOf,
  seedUser,
  signedInBrowser,
  type TestApp,
} from "./testing/test-app.ts";

const PRODUCTION = {
  LK_MODE: "production",
  LK_PUBLIC_URL: "https://account.example",
  LK_SMTP_URL: "smtp://127.0.0.1:2525",
};

/** The CSP directives as a map, e.g. "default-src" → "'none'". */
function cspOf(header: unknown): Map<string, string> {
  return new Map(
    String(header ?? "")
      .split(";")
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name, ...values] = part.split(/\s+/);
        return [name!, values.join(" ")];
      }),
  );
}

async function withApp(
  dialect: (typeof DIALECTS)[number],
  env: Record<string, string>,
  work: (t: TestApp) => Promise<void>,
) {
  const t = await createTestApp(dialect, env);
  try {
    await work(t);
  } finally {
    await t.close();
  }
}

for (const dialect of DIALECTS) {
  describe(`cabinet shell (${dialect})`, () => {
    it("shows the user's name, enterprise, «Выйти» and the test-mode marker after sign-in", () =>
      withApp(dialect, {}, async (t) => {
        const { login, password } = await seedUser(t.ctx, {
          fullName: "Анна Кузнецова",
          merchant: "Магазин Ромашка",
        });
        const b = await signedInBrowser(t.app, login, password);
        const home = await b.get("/");
        assert.equal(home.statusCode, 200);
        assert.match(home.body, /<html lang="ru"/);
        assert.ok(home.body.includes("Анна Кузнецова"));
        assert.ok(home.body.includes("Магазин Ромашка"));
        assert.ok(home.body.includes("Выйти"));
        assert.ok(home.body.includes("Тестовый режим"));
        assert.match(home.body, /<form[^>]*method="post"[^>]*action="\/sign-out"/);
      }));

    it("marks every page of a test-mode instance, the sign-in page and error pages too", () =>
      withApp(dialect, {}, async (t) => {
        const b = browser(t.app);
        for (const url of ["/sign-in", "/no/such/page"]) {
          assert.ok((await b.get(url)).body.includes("Тестовый режим"), url);
        }
      }));

    it("shows no marker in production mode, and sends HSTS there", () =>
      withApp(dialect, PRODUCTION, async (t) => {
        const { login, password } = await seedUser(t.ctx, { fullName: "Pavel Orlov" });
        const b = browser(t.app);
        const signIn = await b.get("/sign-in");
        assert.ok(!signIn.body.includes("Тестовый режим"));
        assert.match(String(signIn.headers["strict-transport-security"]), /max-age=\d{7,}/);
        const response = await b.postForm("/sign-in", { login, password });
        assert.equal(response.statusCode, 303);
        assert.ok(b.jar.get("__Host-lk-production-session"));
        const home = await b.get("/");
        assert.equal(home.statusCode, 200);
        assert.ok(home.body.includes("Pavel Orlov"));
        assert.ok(!home.body.includes("Тестовый режим"));
        assert.ok(!home.body.includes('data-testid="test-mode"'));
        assert.ok(home.headers["strict-transport-security"]);
      }));

    it("sends a strict CSP and no-store in test mode, without HSTS", () =>
      withApp(dialect, {}, async (t) => {
        const { login, password } = await seedUser(t.ctx);
        const b = browser(t.app);
        const signIn = await b.get("/sign-in");
        assert.equal(signIn.headers["strict-transport-security"], undefined);
        const csp = cspOf(signIn.headers["content-security-policy"]);
        assert.equal(csp.get("default-src"), "'none'");
        assert.equal(csp.get("frame-ancestors"), "'none'");
        assert.ok(!String(signIn.headers["content-security-policy"]).includes("unsafe-inline"));
        assert.equal(signIn.headers["cache-control"], "no-store");
        assert.equal(signIn.headers["x-content-type-options"], "nosniff");
        assert.equal(signIn.headers["referrer-policy"], "no-referrer");

        await b.postForm("/sign-in", { login, password });
        const home = await b.get("/");
        assert.equal(home.headers["cache-control"], "no-store");
        assert.equal(cspOf(home.headers["content-security-policy"]).get("default-src"), "'none'");
      }));

    it("shows English pages to an English user although the sign-in page was Russian", () =>
      withApp(dialect, {}, async (t) => {
        const { login, password } = await seedUser(t.ctx, { language: "en" });
        const b = browser(t.app);
        const signIn = await b.get("/sign-in");
        assert.ok(signIn.body.includes("Вход в личный кабинет"));
        await b.postForm("/sign-in", { login, password });
        const home = await b.get("/");
        assert.match(home.body, /<html lang="en"/);
        assert.ok(home.body.includes("Sign out"));
        assert.ok(home.body.includes("Test mode"));
        assert.ok(!home.body.includes("Выйти"));
        const missing = await b.get("/no/such/page");
        assert.ok(missing.body.includes("Page not found"));
      }));

    it("shows a Russian user Russian pages even after an English language switch", () =>
      withApp(dialect, {}, async (t) => {
        const { login, password } = await seedUser(t.ctx, { language: "ru" });
        const b = browser(t.app);
        await b.get("/language/en");
        assert.ok((await b.get("/sign-in")).body.includes("Sign in to the merchant cabinet"));
        await b.postForm("/sign-in", { login, password });
        const home = await b.get("/");
        assert.match(home.body, /<html lang="ru"/);
        assert.ok(home.body.includes("Выйти"));
      }));
  });

  describe(`health check (${dialect})`, () => {
    it("answers 200 while the database answers", () =>
      withApp(dialect, {}, async (t) => {
        const response = await t.app.inject({ method: "GET", url: "/healthz" });
        assert.equal(response.statusCode, 200);
        assert.deepEqual(response.json(), { status: "ok", mode: "test" });
      }));

    /** A second app on its own connection to the same database, so closing it leaves the fixture intact. */
    async function appWithClosedDatabase(t: TestApp) {
      const own = openDatabase(t.database.url);
      const app = await buildApp({ ...t.ctx, db: own.db });
      // Kysely only marks a driver destroyed once it has been used: answer one request first.
      assert.equal((await app.inject({ method: "GET", url: "/healthz" })).statusCode, 200);
      await own.close();
      return app;
    }
    const withSession = { cookie: `lk-test-session=${"x".repeat(43)}` };

    it("answers 503 once the database is gone, and keeps serving", () =>
      withApp(dialect, {}, async (t) => {
        const app = await appWithClosedDatabase(t);
        try {
          const down = await app.inject({ method: "GET", url: "/healthz" });
          assert.equal(down.statusCode, 503);
          assert.equal(down.json().status, "unavailable");
          const page = await app.inject({ method: "GET", url: "/", headers: withSession });
          assert.equal(page.statusCode, 500);
          assert.equal((await app.inject({ method: "GET", url: "/healthz" })).statusCode, 503, "still alive");
        } finally {
          await app.close();
        }
      }));

    it("shows the localized error page, never the internal message, when the database fails", () =>
      withApp(dialect, {}, async (t) => {
        const app = await appWithClosedDatabase(t);
        try {
          for (const url of ["/", "/sign-in"]) {
            const page = await app.inject({ method: "GET", url, headers: withSession });
            assert.equal(page.statusCode, 500, url);
            assert.match(String(page.headers["content-type"]), /^text\/html/, url);
            assert.ok(page.body.includes("Ошибка сервера"), url);
            assert.ok(!/destroyed|ECONNREFUSED|better-sqlite3|pg-pool/i.test(page.body), url);
          }
        } finally {
          await app.close();
        }
      }));

    if (dialect === "postgres") {
      it("answers 503 when the PostgreSQL server cannot be reached", () =>
        withApp(dialect, {}, async (t) => {
          // Port 1 on loopback: nothing listens there, the connection is refused at once.
          const unreachable = openDatabase("postgres://postgres@127.0.0.1:1/lk");
          const app = await buildApp({ ...t.ctx, db: unreachable.db });
          try {
            assert.equal((await app.inject({ method: "GET", url: "/healthz" })).statusCode, 503);
            const page = await app.inject({ method: "GET", url: "/", headers: withSession });
            assert.equal(page.statusCode, 500);
            assert.equal((await app.inject({ method: "GET", url: "/healthz" })).statusCode, 503);
          } finally {
            await app.close();
            await unreachable.close();
          }
        }));
    }
  });

  describe(`bad input never fails with a 5xx (${dialect})`, () => {
    async function signInForm(t: TestApp) {
      const b = browser(t.app);
      const token = csrfTokenOf((await b.get("/sign-in")).body);
      const post = (payload: string | Buffer, contentType = "application/x-www-form-urlencoded") =>
        t.app.inject({
          method: "POST",
          url: "/sign-in",
          headers: { cookie: b.jar.header(), "content-type": contentType },
          payload,
        });
      return { token, post };
    }

    it("answers a JSON body without an error", () =>
      withApp(dialect, {}, async (t) => {
        const { token, post } = await signInForm(t);
        const wellFormed = await post(
          JSON.stringify({ login: "a", password: "b", _csrf: token }),
          "application/json",
        );
        assert.ok(wellFormed.statusCode < 500, String(wellFormed.statusCode));
        const noToken = await post(JSON.stringify({ login: ["a"], password: { x: 1 } }), "application/json");
        assert.ok(noToken.statusCode >= 400 && noToken.statusCode < 500, String(noToken.statusCode));
        const broken = await post('{"login": ', "application/json");
        assert.equal(broken.statusCode, 400);
        const plain = await post("login=a", "text/plain");
        assert.ok(plain.statusCode >= 400 && plain.statusCode < 500, String(plain.statusCode));
      }));

    it("refuses array-valued and over-long fields with 400", () =>
      withApp(dialect, {}, async (t) => {
        const { token, post } = await signInForm(t);
        const field = (fields: [string, string][]) =>
          new URLSearchParams([["_csrf", token], ...fields]).toString();
        for (const [name, payload] of [
          [
            "two logins",
            field([
              ["login", "a"],
              ["login", "b"],
              ["password", "Secret123"],
            ]),
          ],
          [
            "two passwords",
            field([
              ["login", "a"],
              ["password", "x"],
              ["password", "y"],
            ]),
          ],
          [
            "two tokens",
            `${field([
              ["login", "a"],
              ["password", "Secret123"],
            ])}&_csrf=other`,
          ],
          [
            "long login",
            field([
              ["login", "a".repeat(5000)],
              ["password", "Secret123"],
            ]),
          ],
          [
            "long password",
            field([
              ["login", "a"],
              ["password", "p".repeat(5000)],
            ]),
          ],
        ] as const) {
          const response = await post(payload);
          assert.equal(response.statusCode, 400, name);
        }
        assert.equal((await t.ctx.db.selectFrom("audit_events").selectAll().execute()).length, 0);
      }));

    it("refuses a body over 64 KiB with 413", () =>
      withApp(dialect, {}, async (t) => {
        const { token, post } = await signInForm(t);
        const response = await post(`_csrf=${token}&login=a&password=${"p".repeat(70 * 1024)}`);
        assert.equal(response.statusCode, 413);
      }));

    it("answers bad input with the localized page, not Fastify's JSON", () =>
      withApp(dialect, {}, async (t) => {
        const { token, post } = await signInForm(t);
        for (const [name, payload, contentType] of [
          ["two logins", `_csrf=${token}&login=a&login=b&password=x`, undefined],
          ["long login", `_csrf=${token}&login=${"a".repeat(5000)}&password=x`, undefined],
          ["huge body", `_csrf=${token}&login=a&password=${"p".repeat(70 * 1024)}`, undefined],
          ["broken JSON", '{"login": ', "application/json"],
        ] as const) {
          const response = await post(payload, contentType);
          assert.match(String(response.headers["content-type"]), /^text\/html/, name);
          assert.ok(response.body.includes("Неверный запрос"), name);
          assert.ok(!response.body.includes("FST_ERR"), name);
        }
      }));

    it("answers an unknown URL with a localized 404 page", () =>
      withApp(dialect, {}, async (t) => {
        const b = browser(t.app);
        const missing = await b.get("/no/such/page?x=<script>");
        assert.equal(missing.statusCode, 404);
        assert.ok(missing.body.includes("Страница не найдена"));
        assert.ok(!missing.body.includes("<script>"));
        assert.equal(missing.headers["cache-control"], "no-store");
        await b.get("/language/en");
        const english = await b.get("/no/such/page");
        assert.equal(english.statusCode, 404);
        assert.ok(english.body.includes("Page not found"));
        const post = await t.app.inject({ method: "POST", url: "/no/such/page", payload: {} });
        assert.ok(post.statusCode === 403 || post.statusCode === 404, String(post.statusCode));
      }));

    it("answers odd methods and paths without an error", () =>
      withApp(dialect, {}, async (t) => {
        for (const request of [
          { method: "PUT" as const, url: "/sign-in" },
          { method: "DELETE" as const, url: "/" },
          { method: "GET" as const, url: "/sign-in?next[]=a&next[]=b" },
          { method: "GET" as const, url: "/language/xx" },
          { method: "GET" as const, url: "/%E0%A4%A" },
        ]) {
          const response = await t.app.inject(request);
          assert.ok(response.statusCode < 500, `${request.method} ${request.url}: ${response.statusCode}`);
        }
      }));
  });
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DIALECTS } from "../db/test-database.ts";
import { browser, createTestApp, seedUser, signedInBrowser, type TestApp } from "../testing/test-app.ts";
import { requireUser } from "./guards.tsx";

/** A cabinet page guarded like every section, added before the app starts serving. */
async function appWithCabinetPage(dialect: (typeof DIALECTS)[number]): Promise<TestApp> {
  const t = await createTestApp(dialect);
  t.app.get("/some/page", { preHandler: requireUser(t.ctx) }, async (request) => ({
    page: "some",
    query: request.query,
  }));
  return t;
}

for (const dialect of DIALECTS) {
  describe(`redirect back after sign-in (${dialect})`, () => {
    it("sends an anonymous request to sign-in and, after signing in, back to the page asked for", async () => {
      const t = await appWithCabinetPage(dialect);
      try {
        const { login, password } = await seedUser(t.ctx);
        const b = browser(t.app);
        const first = await b.get("/some/page?x=1");
        assert.equal(first.statusCode, 303);
        const location = String(first.headers.location);
        assert.equal(location, `/sign-in?next=${encodeURIComponent("/some/page?x=1")}`);

        const form = await b.get(location);
        assert.ok(form.body.includes('name="next" value="/some/page?x=1"'), "the form carries next");
        const response = await b.postForm(
          "/sign-in",
          { login, password, next: "/some/page?x=1" },
          { from: location },
        );
        assert.equal(response.statusCode, 303);
        assert.equal(response.headers.location, "/some/page?x=1");
        const page = await b.get("/some/page?x=1");
        assert.equal(page.statusCode, 200);
        assert.deepEqual(JSON.parse(page.body), { page: "some", query: { x: "1" } });
      } finally {
        await t.close();
      }
    });

    it("keeps next through a failed attempt", async () => {
      const t = await appWithCabinetPage(dialect);
      try {
        const { login, password } = await seedUser(t.ctx);
        const b = browser(t.app);
        const failed = await b.postForm("/sign-in", { login, password: "Wrong1234", next: "/some/page?x=1" });
        assert.ok(failed.body.includes('name="next" value="/some/page?x=1"'));
        const retried = await b.postForm(
          "/sign-in",
          { login, password, next: "/some/page?x=1" },
          { from: "/sign-in?next=%2Fsome%2Fpage%3Fx%3D1" },
        );
        assert.equal(retried.headers.location, "/some/page?x=1");
      } finally {
        await t.close();
      }
    });

    it("lands on / for a next that leaves the site", async () => {
      const t = await appWithCabinetPage(dialect);
      try {
        const { login, password } = await seedUser(t.ctx);
        for (const next of [
          "//evil.example",
          "https://evil.example",
          "/\\evil.example",
          "/.//evil.example",
          "http:evil.example",
        ]) {
          const b = browser(t.app);
          const response = await b.postForm("/sign-in", { login, password, next });
          assert.equal(response.statusCode, 303, next);
          assert.equal(response.headers.location, "/", next);
          const page = await b.get(`/sign-in?next=${encodeURIComponent(next)}`);
          assert.equal(page.headers.location, "/", `signed-in GET /sign-in with next=${next}`);
        }
      } finally {
        await t.close();
      }
    });

    it("never renders a foreign next into the sign-in form", async () => {
      const t = await appWithCabinetPage(dialect);
      try {
        const page = await browser(t.app).get(`/sign-in?next=${encodeURIComponent("https://evil.example")}`);
        assert.equal(page.statusCode, 200);
        assert.ok(!page.body.includes('name="next"'), "no hidden next field");
        assert.ok(!/(href|action|value)="https:\/\/evil\.example/.test(page.body));
      } finally {
        await t.close();
      }
    });

    it("sends a signed-in visitor of /sign-in on to the page asked for", async () => {
      const t = await appWithCabinetPage(dialect);
      try {
        const { login, password } = await seedUser(t.ctx);
        const b = await signedInBrowser(t.app, login, password);
        const response = await b.get(`/sign-in?next=${encodeURIComponent("/some/page?x=2")}`);
        assert.equal(response.statusCode, 303);
        assert.equal(response.headers.location, "/some/page?x=2");
      } finally {
        await t.close();
      }
    });

    it("keeps language switches on this site", async () => {
      const t = await appWithCabinetPage(dialect);
      try {
        const b = browser(t.app);
        assert.equal((await b.get("/language/en?next=%2F%2Fevil.example")).headers.location, "/sign-in");
        assert.equal((await b.get("/language/en?next=%2Fsome%2Fpage")).headers.location, "/some/page");
      } finally {
        await t.close();
      }
    });
  });
}

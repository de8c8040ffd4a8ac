import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { listAuditEvents } from "../audit/audit.repository.ts";
import { DIALECTS } from "../db/test-database.ts";
import { createTestApp, seedUser, signedInBrowser } from "../testing/test-app.ts";
import { setUserStatus } from "../users/users.repository.ts";
import { findSession } from "./sessions.repository.ts";
import { hashToken } from "./tokens.ts";

const MINUTE = 60_000;

for (const dialect of DIALECTS) {
  describe(`sessions over HTTP (${dialect})`, () => {
    it("ends a session after LK_SESSION_IDLE without requests", async () => {
      const t = await createTestApp(dialect, { LK_SESSION_IDLE: "15m" });
      try {
        const { login, password, user } = await seedUser(t.ctx);
        const b = await signedInBrowser(t.app, login, password);
        const idHash = hashToken(b.jar.get("lk-test-session")!);
        t.clock.advance(14 * MINUTE);
        assert.equal((await b.get("/")).statusCode, 200, "still alive inside the idle limit");
        t.clock.advance(15 * MINUTE + 1000);
        const response = await b.get("/");
        assert.equal(response.statusCode, 303);
        const location = new URL(String(response.headers.location), "http://localhost");
        assert.equal(location.pathname, "/sign-in");
        assert.equal(location.searchParams.get("notice"), "session-expired");
        assert.equal(location.searchParams.get("next"), "/");
        assert.equal(await findSession(t.ctx.db, idHash), undefined, "row deleted");
        assert.equal(b.jar.get("lk-test-session"), undefined, "cookie cleared");
        const page = await b.get(String(response.headers.location));
        assert.ok(page.body.includes("Сеанс завершен из-за отсутствия активности. Войдите снова."));
        const expired = await listAuditEvents(t.ctx.db, { userId: user.id, type: "session.expired" });
        assert.equal(expired.length, 1);
      } finally {
        await t.close();
      }
    });

    it("ends a session after LK_SESSION_MAX even when it is used all the time", async () => {
      const t = await createTestApp(dialect, { LK_SESSION_IDLE: "15m", LK_SESSION_MAX: "1h" });
      try {
        const { login, password } = await seedUser(t.ctx);
        const b = await signedInBrowser(t.app, login, password);
        const idHash = hashToken(b.jar.get("lk-test-session")!);
        for (let minutes = 10; minutes <= 50; minutes += 10) {
          t.clock.advance(10 * MINUTE);
          assert.equal((await b.get("/")).statusCode, 200, `alive after ${minutes} min`);
        }
        t.clock.advance(11 * MINUTE);
        const response = await b.get("/");
        assert.equal(response.statusCode, 303);
        assert.match(String(response.headers.location), /^\/sign-in\?/);
        assert.equal(await findSession(t.ctx.db, idHash), undefined);
      } finally {
        await t.close();
      }
    });

    it("signs out: deletes the server row, clears the cookie and says so", async () => {
      const t = await createTestApp(dialect);
      try {
        const { login, password, user } = await seedUser(t.ctx);
        const b = await signedInBrowser(t.app, login, password);
        const cookieValue = b.jar.get("lk-test-session")!;
        const home = await b.get("/");
        assert.ok(home.body.includes("Выйти"));
        const response = await b.postForm("/sign-out", {}, { from: "/" });
        assert.equal(response.statusCode, 303);
        assert.equal(response.headers.location, "/sign-in?notice=signed-out");
        assert.equal(await findSession(t.ctx.db, hashToken(cookieValue)), undefined);
        assert.equal(b.jar.get("lk-test-session"), undefined);
        const page = await b.get("/sign-in?notice=signed-out");
        assert.ok(page.body.includes("Вы вышли из личного кабинета."));
        assert.equal((await listAuditEvents(t.ctx.db, { userId: user.id, type: "sign-out" })).length, 1);

        // A copy of the cookie kept by an attacker is worthless after sign-out.
        const replay = await t.app.inject({
          method: "GET",
          url: "/",
          headers: { cookie: `lk-test-session=${cookieValue}` },
        });
        assert.equal(replay.statusCode, 303);
      } finally {
        await t.close();
      }
    });

    it("ends the session of a user blocked after signing in on the next request", async () => {
      const t = await createTestApp(dialect);
      try {
        const { login, password, user } = await seedUser(t.ctx);
        const b = await signedInBrowser(t.app, login, password);
        const idHash = hashToken(b.jar.get("lk-test-session")!);
        assert.equal((await b.get("/")).statusCode, 200);
        await setUserStatus(t.ctx.db, user.id, "blocked");
        const response = await b.get("/");
        assert.equal(response.statusCode, 303);
        assert.match(String(response.headers.location), /^\/sign-in/);
        assert.equal(await findSession(t.ctx.db, idHash), undefined);
      } finally {
        await t.close();
      }
    });

    it("keeps sessions of one user in two browsers apart", async () => {
      const t = await createTestApp(dialect);
      try {
        const { login, password } = await seedUser(t.ctx);
        const first = await signedInBrowser(t.app, login, password);
        const second = await signedInBrowser(t.app, login, password);
        assert.notEqual(first.jar.get("lk-test-session"), second.jar.get("lk-test-session"));
        await first.postForm("/sign-out", {}, { from: "/" });
        assert.equal((await first.get("/")).statusCode, 303);
        assert.equal((await second.get("/")).statusCode, 200, "signing out ends only this browser's session");
      } finally {
        await t.close();
      }
    });
  });
}

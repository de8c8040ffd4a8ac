import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { listAuditEvents } from "../audit/audit.repository.ts";
import { DIALECTS } from "../db/test-database.ts";
import { findMailsTo } from "../mail/mail-queue.repository.ts";
import { browser, createTestApp, seedUser, signedInBrowser, type TestApp } from "../testing/test-app.ts";
import { findUserById } from "../users/users.repository.ts";

const FAST_HASHING = { LK_ARGON2_MEMORY_KIB: "1024", LK_ARGON2_TIME_COST: "1" };

for (const dialect of DIALECTS) {
  describe(`Settings: language of pages and mails (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, FAST_HASHING);
    });
    after(() => t.close());

    it("switches an English user to Russian: pages, then mails, follow the account's setting", async () => {
      const user = await seedUser(t.ctx, { language: "en" });
      const b = await signedInBrowser(t.app, user.login, user.password);
      const before = await b.get("/settings");
      assert.match(before.body, /Language of pages and e-mails/);
      assert.match(before.body, /value="en" checked/);

      const saved = await b.postForm("/settings/language", { language: "ru" });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, "/settings?changed=language");
      const after = await b.get("/settings?changed=language");
      assert.match(after.body, /Язык изменен\./);
      assert.match(after.body, /<html lang="ru"/);
      assert.equal((await findUserById(t.ctx.db, user.user.id))?.language, "ru");

      const [event] = await listAuditEvents(t.ctx.db, {
        userId: user.user.id,
        type: "user.language-changed",
      });
      assert.deepEqual(JSON.parse(event!.details), { from: "en", to: "ru" });

      // Seed, «Примечание»: the recovery mail is generated in the language set for the user.
      await browser(t.app, "10.9.0.1").postForm("/recovery", { login: user.login, email: user.email });
      const mails = await findMailsTo(t.ctx.db, user.email);
      assert.equal(mails.at(-1)?.subject, "Восстановление пароля в личном кабинете");
    });

    it("ignores a language it does not know and keeps the setting", async () => {
      const user = await seedUser(t.ctx, { language: "ru" });
      const b = await signedInBrowser(t.app, user.login, user.password);
      const response = await b.postForm("/settings/language", { language: "de" }, { from: "/settings" });
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, "/settings");
      assert.equal((await findUserById(t.ctx.db, user.user.id))?.language, "ru");
      assert.equal(
        (await listAuditEvents(t.ctx.db, { userId: user.user.id, type: "user.language-changed" })).length,
        0,
      );
    });

    it("names the user's rights in the user's language on the home page", async () => {
      const user = await seedUser(t.ctx, { language: "ru", rights: ["change-own-password", "export"] });
      const b = await signedInBrowser(t.app, user.login, user.password);
      const home = await b.get("/");
      assert.match(
        home.body,
        /data-testid="rights">изменение собственного пароля, выгрузка отчетов и списков заказов</,
      );
    });
  });
}

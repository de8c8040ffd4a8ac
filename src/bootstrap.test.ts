import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AppContext } from "./app-context.ts";
import { bootstrapDemoData, DEMO_ADMIN_LOGIN, DEMO_MERCHANT } from "./bootstrap.ts";
import { loadConfig } from "./config.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./db/test-database.ts";
import { createPasswordHasher } from "./passwords/password-hasher.ts";
import { checkPasswordShape, SEED_POLICY } from "./passwords/password-policy.ts";
import { ALL_RIGHTS } from "./users/rights.ts";
import {
  countUsers,
  findEnterpriseById,
  findUserByLogin,
  findUserRights,
  findVisibleMerchants,
} from "./users/users.repository.ts";
import { createUser } from "./users/users.service.ts";

/** Collects what bootstrap logs, as pino would receive it. */
function recordingLogger() {
  const entries: { level: "info" | "warn"; args: unknown[] }[] = [];
  return {
    entries,
    logger: {
      info: (...args: unknown[]) => entries.push({ level: "info", args }),
      warn: (...args: unknown[]) => entries.push({ level: "warn", args }),
    } as unknown as Parameters<typeof bootstrapDemoData>[1],
  };
}

const hasher = createPasswordHasher();

for (const dialect of DIALECTS) {
  describe(`bootstrap of a new instance (${dialect})`, () => {
    const databases: TestDatabase[] = [];
    after(async () => {
      for (const database of databases) await database.close();
    });
    /** Each test on its own fresh database, so none depends on another's users. */
    const contextFor = async (env: Record<string, string>): Promise<AppContext> => {
      const database = await createTestDatabase(dialect);
      databases.push(database);
      return {
        db: database.db,
        config: loadConfig(env),
        hasher,
        mailQueued: () => {},
        now: () => 1_800_000_000_000,
      };
    };

    it("does nothing in production mode, and says how to create the first administrator", async () => {
      const ctx = await contextFor({
        LK_MODE: "production",
        LK_PUBLIC_URL: "https://account.example",
        LK_SMTP_URL: "smtp://mail.example",
      });
      const { entries, logger } = recordingLogger();
      await bootstrapDemoData(ctx, logger);
      assert.equal(await countUsers(ctx.db), 0);
      assert.equal(entries.length, 1);
      assert.equal(entries[0]!.level, "warn");
      assert.match(String(entries[0]!.args.at(-1)), /lk users add/);
    });

    it("creates the demo administrator with every right and a one-time password logged once", async () => {
      const ctx = await contextFor({ LK_MODE: "test" });
      const { entries, logger } = recordingLogger();
      await bootstrapDemoData(ctx, logger);
      assert.equal(await countUsers(ctx.db), 1);

      const admin = await findUserByLogin(ctx.db, DEMO_ADMIN_LOGIN);
      assert.ok(admin);
      assert.equal(admin.status, "active");
      assert.equal(admin.password_temporary, 1, "must be changed at first sign-in");
      assert.deepEqual(await findUserRights(ctx.db, admin.id), [...ALL_RIGHTS].sort());
      assert.equal((await findEnterpriseById(ctx.db, admin.enterprise_id))?.name, DEMO_MERCHANT);
      assert.deepEqual(
        (
          await findVisibleMerchants(ctx.db, {
            userId: admin.id,
            enterpriseId: admin.enterprise_id,
            allMerchants: admin.all_merchants === 1,
          })
        ).map((m) => m.name),
        [DEMO_MERCHANT],
      );

      const infos = entries.filter((entry) => entry.level === "info");
      assert.equal(infos.length, 1, "logged once");
      const [fields, message] = infos[0]!.args as [{ login: string; oneTimePassword: string }, string];
      const password = fields.oneTimePassword;
      assert.equal(fields.login, DEMO_ADMIN_LOGIN);
      assert.ok(message.includes(password), "the message a person reads carries the password");
      assert.ok(message.includes("/sign-in"));
      assert.deepEqual(checkPasswordShape(password, SEED_POLICY), [], "passes the seed's rules");
      assert.equal(await hasher.verify(admin.password_hash, password), true, "the logged password signs in");
      assert.ok(!admin.password_hash.includes(password));

      const history = await ctx.db
        .selectFrom("password_history")
        .select("password_hash")
        .where("user_id", "=", admin.id)
        .execute();
      assert.equal(history.length, 1);
    });

    it("does nothing once users exist: no second administrator, no second password in the log", async () => {
      const ctx = await contextFor({ LK_MODE: "test" });
      await bootstrapDemoData(ctx, recordingLogger().logger);
      const existing = await countUsers(ctx.db);
      assert.equal(existing, 1);
      const { entries, logger } = recordingLogger();
      await bootstrapDemoData(ctx, logger);
      assert.equal(await countUsers(ctx.db), existing);
      assert.equal(entries.length, 0);
    });
  });

  describe(`bootstrap next to existing users (${dialect})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(dialect);
    });
    after(() => database.close());

    it("leaves an instance whose operator already created users alone", async () => {
      const ctx: AppContext = {
        db: database.db,
        config: loadConfig({ LK_MODE: "test" }),
        hasher,
        mailQueued: () => {},
        now: Date.now,
      };
      const created = await createUser(
        { db: ctx.db, hasher, policy: SEED_POLICY, now: ctx.now },
        {
          login: "operator",
          email: "operator@shop.example",
          password: "Operator1",
          temporary: false,
          language: "ru",
          merchant: "Operator shop",
        },
      );
      assert.ok(created.ok);
      const { entries, logger } = recordingLogger();
      await bootstrapDemoData(ctx, logger);
      assert.equal(await countUsers(ctx.db), 1);
      assert.equal(await findUserByLogin(ctx.db, DEMO_ADMIN_LOGIN), undefined);
      assert.equal(entries.length, 0);
    });
  });
}

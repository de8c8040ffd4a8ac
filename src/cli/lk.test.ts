// The operator contract through the real launcher: `node bin/lk.js ...` in a child process, configured only by
// the environment, on both dialects. Finer cases run in-process in commands.test.ts.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import pg from "pg";
import { insertSession } from "../auth/sessions.repository.ts";
import { type Dialect, openDatabase } from "../db/connection.ts";
import { createTestDatabase, DIALECTS } from "../db/test-database.ts";
import { createPasswordHasher } from "../passwords/password-hasher.ts";
import { RIGHTS } from "../users/rights.ts";
import {
  addArgs,
  auditTypesOf,
  countRows,
  LK_BIN,
  rightsOf,
  runLk,
  spawnLk,
  unique,
  userByLogin,
} from "./cli-test-support.ts";

/** A database with no tables at all, as an operator has before the first `lk migrate`. */
async function createEmptyDatabase(dialect: Dialect): Promise<{ url: string; drop(): Promise<void> }> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "lk-cli-empty-"));
    return {
      url: `sqlite:${join(dir, "lk.db")}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const adminUrl = process.env.LK_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const name = `lk_cli_empty_${randomBytes(6).toString("hex")}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

test("bin/lk.js is an executable node script", () => {
  assert.ok((statSync(LK_BIN).mode & 0o111) !== 0, "executable bit set");
});

describe("lk launcher without a database", () => {
  test("an unknown command exits 2 with the message and a usage hint", async () => {
    const result = await spawnLk("sqlite:/nonexistent-dir/never.db", ["frobnicate", "now"]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^lk: unknown command "frobnicate"\n/);
    assert.match(result.stderr, /Run "lk help"/);
  });

  test("lk --help prints the usage and exits 0", async () => {
    const result = await spawnLk(undefined, ["--help"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Usage: lk <command>/);
    assert.match(result.stdout, /lk users add --login L --email E --password P/);
  });

  test("a bad configuration prints the configuration message and exits 2", async () => {
    const result = await spawnLk("sqlite:/nonexistent-dir/never.db", ["users", "list"], {
      LK_MODE: "staging",
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^Invalid configuration:\n {2}LK_MODE/);
  });
});

for (const dialect of DIALECTS) {
  describe(`lk launcher (${dialect})`, () => {
    test("users add creates an active user with its own password; users list shows it", async () => {
      const database = await createTestDatabase(dialect);
      try {
        const login = unique("Olga");
        const shop = unique("Spawn shop");
        const added = await spawnLk(database.url, addArgs(login, ["--merchant", shop]));
        assert.equal(added.code, 0, added.stderr);
        assert.match(added.stdout, new RegExp(`Created user "${login}"`));

        const user = (await userByLogin(database.db, login))!;
        assert.equal(user.login, login);
        assert.equal(user.email, `${login}@shop.example`);
        assert.equal(user.status, "active");
        assert.equal(user.language, "ru");
        assert.equal(user.password_temporary, 0);
        assert.ok(await createPasswordHasher().verify(user.password_hash, "Passw0rd1"));
        assert.deepEqual(await rightsOf(database.db, user.id), ["change-own-password"]);
        assert.deepEqual(await auditTypesOf(database.db, user.id), ["user.created"]);
        assert.equal(await countRows(database.db, "password_history"), 1);
        const merchant = await database.db
          .selectFrom("merchants")
          .innerJoin("enterprises", "enterprises.id", "merchants.enterprise_id")
          .select(["merchants.name as merchant", "enterprises.name as enterprise", "enterprises.id"])
          .executeTakeFirstOrThrow();
        assert.deepEqual(merchant, { merchant: shop, enterprise: shop, id: user.enterprise_id });

        const listed = await spawnLk(database.url, ["users", "list"]);
        assert.equal(listed.code, 0, listed.stderr);
        const [header, row, ...rest] = listed.stdout.trimEnd().split("\n");
        assert.match(header!, /^LOGIN +E-MAIL +LANGUAGE +STATUS +TEMPORARY PASSWORD +ENTERPRISE +RIGHTS$/);
        assert.deepEqual(row!.split(/ {2,}/), [
          login,
          `${login}@shop.example`,
          "ru",
          "active",
          "no",
          shop,
          "change-own-password",
        ]);
        assert.deepEqual(rest, []);
      } finally {
        await database.close();
      }
    });

    test("a duplicate login, in another letter case, exits 2 and adds no row", async () => {
      const database = await createTestDatabase(dialect);
      try {
        const login = unique("Ivan");
        assert.equal((await runLk(database.url, addArgs(login))).code, 0);
        const result = await spawnLk(database.url, [
          "users",
          "add",
          "--login",
          login.toUpperCase(),
          "--email",
          "other@shop.example",
          "--password",
          "Passw0rd2",
        ]);
        assert.equal(result.code, 2);
        assert.match(result.stderr, /already exists/);
        assert.match(result.stderr, /Usage: lk users add/);
        assert.equal(await countRows(database.db, "users"), 1);
        assert.equal((await userByLogin(database.db, login))!.email, `${login}@shop.example`);
      } finally {
        await database.close();
      }
    });

    test("a password breaking the rules exits 2, names every broken rule, creates nothing", async () => {
      const database = await createTestDatabase(dialect);
      try {
        // Too short, a character outside A-Z a-z 0-9, and no digit: three rules at once, each on its own line.
        const result = await spawnLk(
          database.url,
          addArgs(unique("weak"), ["--merchant", "Weak shop"], "ab!"),
        );
        assert.equal(result.code, 2);
        assert.match(result.stderr, /^lk: --password breaks the rule "length": .*8 to 20 characters/m);
        assert.match(result.stderr, /^lk: --password breaks the rule "charset": .*only Latin letters/m);
        assert.match(
          result.stderr,
          /^lk: --password breaks the rule "letterAndDigit": .*both letters and digits/m,
        );
        assert.ok(!result.stderr.includes("ab!"), "the password is not echoed");
        assert.equal(await countRows(database.db, "users"), 0);
        assert.equal(await countRows(database.db, "enterprises"), 0);
      } finally {
        await database.close();
      }
    });

    test("an unknown right exits 2 and writes nothing", async () => {
      const database = await createTestDatabase(dialect);
      try {
        const result = await spawnLk(
          database.url,
          addArgs(unique("root"), ["--merchant", "Root shop", "--rights", "export,superuser"]),
        );
        assert.equal(result.code, 2);
        assert.match(result.stderr, /^lk: unknown right "superuser"/m);
        assert.equal(await countRows(database.db, "users"), 0);
        assert.equal(await countRows(database.db, "enterprises"), 0);
        assert.equal(await countRows(database.db, "audit_events"), 0);
      } finally {
        await database.close();
      }
    });

    test('--rights "" grants no rights; --temporary marks the password one-time', async () => {
      const database = await createTestDatabase(dialect);
      try {
        const login = unique("nobody");
        const result = await spawnLk(database.url, addArgs(login, ["--rights", "", "--temporary"]));
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /Rights: none\./);
        const user = (await userByLogin(database.db, login))!;
        assert.deepEqual(await rightsOf(database.db, user.id), []);
        assert.equal(user.password_temporary, 1);
      } finally {
        await database.close();
      }
    });

    test("users block sets the status, ends every session of the user, and is audited", async () => {
      const database = await createTestDatabase(dialect);
      try {
        const login = unique("Boris");
        const bystander = unique("other");
        assert.equal((await runLk(database.url, addArgs(login))).code, 0);
        assert.equal((await runLk(database.url, addArgs(bystander))).code, 0);
        const user = (await userByLogin(database.db, login))!;
        const other = (await userByLogin(database.db, bystander))!;
        const now = Date.now();
        for (const [userId, n] of [
          [user.id, 1],
          [user.id, 2],
          [other.id, 3],
        ] as const) {
          await insertSession(database.db, {
            id_hash: `${n}`.repeat(64),
            user_id: userId,
            csrf_token: "csrf",
            created_at: now,
            last_seen_at: now,
            ip: "127.0.0.1",
            user_agent: "test",
          });
        }

        const result = await spawnLk(database.url, ["users", "block", login.toUpperCase()]);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /2 sessions ended/);
        assert.equal((await userByLogin(database.db, login))!.status, "blocked");
        const sessions = await database.db.selectFrom("sessions").select("user_id").execute();
        assert.deepEqual(
          sessions.map((s) => s.user_id),
          [other.id],
        );
        assert.deepEqual(await auditTypesOf(database.db, user.id), ["user.created", "user.blocked"]);
        assert.equal((await userByLogin(database.db, bystander))!.status, "active");
      } finally {
        await database.close();
      }
    });

    test("users unblock makes the user active and clears the lockout, audited", async () => {
      const database = await createTestDatabase(dialect);
      try {
        const login = unique("Vera");
        assert.equal((await runLk(database.url, addArgs(login))).code, 0);
        const user = (await userByLogin(database.db, login))!;
        await database.db
          .updateTable("users")
          .set({ status: "blocked", locked_until: Date.now() + 3_600_000, failed_sign_ins: 7 })
          .where("id", "=", user.id)
          .execute();

        const result = await spawnLk(database.url, ["users", "unblock", login.toLowerCase()]);
        assert.equal(result.code, 0, result.stderr);
        const after = (await userByLogin(database.db, login))!;
        assert.equal(after.status, "active");
        assert.equal(after.locked_until, null);
        assert.equal(after.failed_sign_ins, 0);
        assert.deepEqual(await auditTypesOf(database.db, user.id), ["user.created", "user.unblocked"]);
      } finally {
        await database.close();
      }
    });

    test("rights list: one right per line, identifier first, then its description", async () => {
      const database = await createTestDatabase(dialect);
      try {
        const result = await spawnLk(database.url, ["rights", "list"]);
        assert.equal(result.code, 0, result.stderr);
        const lines = result.stdout.trimEnd().split("\n");
        assert.equal(lines.length, RIGHTS.length);
        lines.forEach((line, index) => {
          const match = /^(\S+) {2,}(.+)$/.exec(line);
          assert.ok(match, line);
          assert.equal(match[1], RIGHTS[index]!.id);
          assert.equal(match[2], RIGHTS[index]!.description);
        });
      } finally {
        await database.close();
      }
    });

    test("migrate on a fresh database applies and names the migrations; again, nothing is pending", async () => {
      const empty = await createEmptyDatabase(dialect);
      try {
        const result = await spawnLk(empty.url, ["migrate"]);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /^Applied 1 migration:\n {2}20261203120000_foundation\n/);

        const database = openDatabase(empty.url);
        try {
          assert.equal(await countRows(database.db, "users"), 0);
        } finally {
          await database.close();
        }
        const again = await runLk(empty.url, ["migrate"]);
        assert.equal(again.code, 0, again.stderr);
        assert.equal(again.stdout, "No pending migrations: the database is up to date.\n");
      } finally {
        await empty.drop();
      }
    });
  });
}

// In-process tests of the `lk` commands through runCli: the same parsing, configuration and exit codes as the
// real launcher (lk.test.ts), without a process per case.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { DEMO_MERCHANT } from "../bootstrap.ts";
import { createTestDatabase, DIALECTS } from "../db/test-database.ts";
import {
  addArgs,
  auditTypesOf,
  countRows,
  rightsOf,
  runLk,
  unique,
  userByLogin,
} from "./cli-test-support.ts";

for (const dialect of DIALECTS) {
  describe(`lk commands in-process (${dialect})`, () => {
    test("each password rule is refused on its own, named in English, and nothing is written", async () => {
      const database = await createTestDatabase(dialect);
      try {
        const cases: Array<[string, string, RegExp]> = [
          ["Abcdef1", "length", /8 to 20 characters/],
          ["Abcdefghij1234567890x", "length", /8 to 20 characters/],
          ["Passw0rd!", "charset", /only Latin letters \(upper and lower case\) and digits/],
          // A Cyrillic «а» among Latin letters and digits.
          ["P\u0430ssw0rd1", "charset", /only Latin letters/],
          ["Pass w0rd1", "charset", /only Latin letters/],
          ["abcdefgh", "letterAndDigit", /both letters and digits/],
          ["12345678", "letterAndDigit", /both letters and digits/],
        ];
        for (const [password, rule, text] of cases) {
          const result = await runLk(database.url, addArgs(unique("pw"), [], password));
          assert.equal(result.code, 2, `${password}: ${result.stderr}`);
          const lines = result.stderr.split("\n").filter((line) => line.startsWith("lk: --password"));
          assert.equal(lines.length, 1, `${password} breaks exactly one rule: ${result.stderr}`);
          assert.match(lines[0]!, new RegExp(`rule "${rule}"`));
          assert.match(lines[0]!, text);
          assert.ok(!result.stderr.includes(password), "the password is never echoed");
          assert.match(result.stderr, /Usage: lk users add/);
        }
        assert.equal(await countRows(database.db, "users"), 0);
        assert.equal(await countRows(database.db, "enterprises"), 0);
        assert.equal(await countRows(database.db, "merchants"), 0);
        assert.equal(await countRows(database.db, "audit_events"), 0);

        // The boundaries themselves are allowed: 8 and 20 characters.
        for (const password of ["Abcdefg1", "Abcdefghij123456789x"]) {
          const result = await runLk(database.url, addArgs(unique("pw"), [], password));
          assert.equal(result.code, 0, result.stderr);
        }
        assert.equal(await countRows(database.db, "users"), 2);
      } finally {
        await database.close();
      }
    });

    test("the password rules come from the configuration (LK_PASSWORD_MIN_LENGTH)", async () => {
      const database = await createTestDatabase(dialect);
      try {
        const env = { LK_PASSWORD_MIN_LENGTH: "12" };
        const short = await runLk(database.url, addArgs(unique("pci"), [], "Passw0rd123"), env);
        assert.equal(short.code, 2);
        assert.match(short.stderr, /rule "length": The password must be 12 to 20 characters long/);
        const ok = await runLk(database.url, addArgs(unique("pci"), [], "Passw0rd1234"), env);
        assert.equal(ok.code, 0, ok.stderr);
      } finally {
        await database.close();
      }
    });

    test("an invalid login and e-mail are reported together, one line each, nothing written", async () => {
      const database = await createTestDatabase(dialect);
      try {
        const result = await runLk(database.url, [
          "users",
          "add",
          "--login",
          "bad login",
          "--email",
          "not-an-email",
          "--password",
          "short",
        ]);
        assert.equal(result.code, 2);
        const problems = result.stderr.split("\n").filter((line) => line.startsWith("lk: "));
        assert.match(problems[0]!, /--login "bad login" is not a valid login/);
        assert.match(problems[1]!, /--email "not-an-email" is not a valid e-mail address/);
        assert.match(problems[2]!, /--password breaks the rule "length"/);
        assert.match(problems[3]!, /--password breaks the rule "letterAndDigit"/);
        assert.equal(problems.length, 4);
        assert.equal(await countRows(database.db, "users"), 0);
      } finally {
        await database.close();
      }
    });

    test("without --merchant: Demo shop on an empty instance, then the only enterprise; refused when several", async () => {
      const database = await createTestDatabase(dialect);
      try {
        const first = await runLk(database.url, addArgs(unique("m")));
        assert.equal(first.code, 0, first.stderr);
        assert.match(first.stdout, new RegExp(`in enterprise "${DEMO_MERCHANT}"`));
        const merchants = await database.db.selectFrom("merchants").select("name").execute();
        assert.deepEqual(
          merchants.map((m) => m.name),
          [DEMO_MERCHANT],
        );

        const secondLogin = unique("m");
        assert.equal((await runLk(database.url, addArgs(secondLogin))).code, 0);
        const demo = await database.db
          .selectFrom("enterprises")
          .selectAll()
          .where("name", "=", DEMO_MERCHANT)
          .executeTakeFirstOrThrow();
        assert.equal((await userByLogin(database.db, secondLogin))!.enterprise_id, demo.id);
        assert.equal(await countRows(database.db, "enterprises"), 1);

        assert.equal((await runLk(database.url, addArgs(unique("m"), ["--merchant", "Other shop"]))).code, 0);
        const users = await countRows(database.db, "users");
        const refused = await runLk(database.url, addArgs(unique("m")));
        assert.equal(refused.code, 2);
        assert.match(refused.stderr, /--merchant is required: this instance has 2 enterprises/);
        assert.match(refused.stderr, /"Demo shop", "Other shop"/);
        assert.equal(await countRows(database.db, "users"), users);
      } finally {
        await database.close();
      }
    });

    test("--merchant NAME creates the enterprise and merchant once and reuses them", async () => {
      const database = await createTestDatabase(dialect);
      try {
        const shop = unique("Shop");
        const a = unique("a");
        const b = unique("b");
        assert.equal((await runLk(database.url, addArgs(a, ["--merchant", shop]))).code, 0);
        assert.equal((await runLk(database.url, addArgs(b, ["--merchant", shop]))).code, 0);
        const enterprises = await database.db.selectFrom("enterprises").selectAll().execute();
        const merchants = await database.db.selectFrom("merchants").selectAll().execute();
        assert.deepEqual(
          enterprises.map((e) => e.name),
          [shop],
        );
        assert.deepEqual(
          merchants.map((m) => [m.name, m.enterprise_id]),
          [[shop, enterprises[0]!.id]],
        );
        assert.equal((await userByLogin(database.db, a))!.enterprise_id, enterprises[0]!.id);
        assert.equal((await userByLogin(database.db, b))!.enterprise_id, enterprises[0]!.id);
      } finally {
        await database.close();
      }
    });

    test("--rights replaces the defaults; --language en; the default is ru with change-own-password", async () => {
      const database = await createTestDatabase(dialect);
      try {
        const chosen = unique("r");
        const plain = unique("p");
        const result = await runLk(
          database.url,
          addArgs(chosen, ["--rights", "manage-users,export", "--language", "en"]),
        );
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /Rights: export, manage-users\./);
        assert.equal((await runLk(database.url, addArgs(plain))).code, 0);

        const chosenUser = (await userByLogin(database.db, chosen))!;
        assert.deepEqual(await rightsOf(database.db, chosenUser.id), ["export", "manage-users"]);
        assert.equal(chosenUser.language, "en");
        const plainUser = (await userByLogin(database.db, plain))!;
        assert.deepEqual(await rightsOf(database.db, plainUser.id), ["change-own-password"]);
        assert.equal(plainUser.language, "ru");
        assert.equal(plainUser.status, "active");
      } finally {
        await database.close();
      }
    });

    test("users list: status, lockout in the future only, temporary password, enterprise, rights", async () => {
      const database = await createTestDatabase(dialect);
      try {
        const shop = unique("List shop");
        const temp = unique("temp");
        const blocked = unique("blocked");
        const locked = unique("locked");
        const expired = unique("expired");
        for (const [login, extra] of [
          [temp, ["--temporary", "--rights", ""]],
          [blocked, []],
          [locked, ["--rights", "export,view-audit-log"]],
          [expired, []],
        ] as const) {
          const result = await runLk(database.url, addArgs(login, ["--merchant", shop, ...extra]));
          assert.equal(result.code, 0, result.stderr);
        }
        const lockedUntil = Date.UTC(2099, 0, 2, 3, 4);
        await database.db
          .updateTable("users")
          .set({ status: "blocked" })
          .where("login", "=", blocked)
          .execute();
        await database.db
          .updateTable("users")
          .set({ locked_until: lockedUntil })
          .where("login", "=", locked)
          .execute();
        await database.db
          .updateTable("users")
          .set({ locked_until: Date.now() - 60_000 })
          .where("login", "=", expired)
          .execute();

        const result = await runLk(database.url, ["users", "list"]);
        assert.equal(result.code, 0, result.stderr);
        const lines = result.stdout.trimEnd().split("\n");
        assert.match(lines[0]!, /^LOGIN +E-MAIL +LANGUAGE +STATUS +TEMPORARY PASSWORD +ENTERPRISE +RIGHTS$/);
        const row = (login: string) => lines.find((line) => line.startsWith(`${login} `))!;
        const cells = (login: string) => row(login).split(/ {2,}/);
        assert.deepEqual(cells(temp), [temp, `${temp}@shop.example`, "ru", "active", "yes", shop, "-"]);
        assert.deepEqual(cells(blocked), [
          blocked,
          `${blocked}@shop.example`,
          "ru",
          "blocked",
          "no",
          shop,
          "change-own-password",
        ]);
        assert.deepEqual(cells(locked), [
          locked,
          `${locked}@shop.example`,
          "ru",
          "active, locked until 2099-01-02 03:04 UTC",
          "no",
          shop,
          "export,view-audit-log",
        ]);
        assert.equal(cells(expired)[3], "active");
      } finally {
        await database.close();
      }
    });

    test("block: unknown login refused; login case-insensitive; blocking twice records one event", async () => {
      const database = await createTestDatabase(dialect);
      try {
        const unknown = await runLk(database.url, ["users", "block", "nobody_here"]);
        assert.equal(unknown.code, 2);
        assert.match(unknown.stderr, /lk: no user with the login "nobody_here"/);
        assert.match(unknown.stderr, /Usage: lk users block LOGIN/);
        assert.equal(await countRows(database.db, "audit_events"), 0);

        const login = unique("Kate");
        assert.equal((await runLk(database.url, addArgs(login))).code, 0);
        const user = (await userByLogin(database.db, login))!;
        const first = await runLk(database.url, ["users", "block", login.toUpperCase()]);
        assert.equal(first.code, 0, first.stderr);
        assert.match(first.stdout, /Blocked/);
        const again = await runLk(database.url, ["users", "block", login]);
        assert.equal(again.code, 0);
        assert.match(again.stdout, /already blocked/);
        assert.equal((await userByLogin(database.db, login))!.status, "blocked");
        assert.deepEqual(await auditTypesOf(database.db, user.id), ["user.created", "user.blocked"]);
      } finally {
        await database.close();
      }
    });

    test("unblock lifts a lockout of an active user; an active, unlocked user is left alone", async () => {
      const database = await createTestDatabase(dialect);
      try {
        const unknown = await runLk(database.url, ["users", "unblock", "nobody_here"]);
        assert.equal(unknown.code, 2);
        assert.match(unknown.stderr, /no user with the login "nobody_here"/);

        const login = unique("lena");
        assert.equal((await runLk(database.url, addArgs(login))).code, 0);
        const user = (await userByLogin(database.db, login))!;
        const idle = await runLk(database.url, ["users", "unblock", login]);
        assert.equal(idle.code, 0);
        assert.match(idle.stdout, /already active and not locked/);
        assert.deepEqual(await auditTypesOf(database.db, user.id), ["user.created"]);

        await database.db
          .updateTable("users")
          .set({ locked_until: Date.now() + 3_600_000, failed_sign_ins: 4 })
          .where("id", "=", user.id)
          .execute();
        const result = await runLk(database.url, ["users", "unblock", login]);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /lifted the sign-in lockout/);
        const after = (await userByLogin(database.db, login))!;
        assert.equal(after.status, "active");
        assert.equal(after.locked_until, null);
        assert.equal(after.failed_sign_ins, 0);
        assert.deepEqual(await auditTypesOf(database.db, user.id), ["user.created", "user.unblocked"]);
        const event = await database.db
          .selectFrom("audit_events")
          .select("details")
          .where("event_type", "=", "user.unblocked")
          .executeTakeFirstOrThrow();
        assert.deepEqual(JSON.parse(event.details), { source: "cli", wasBlocked: false, lockLifted: true });
      } finally {
        await database.close();
      }
    });
  });
}

describe("lk refusals that never reach a database", () => {
  const dir = mkdtempSync(join(tmpdir(), "lk-cli-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("bad arguments and bad configuration exit 2 without creating the database", async () => {
    const url = `sqlite:${join(dir, "never.db")}`;
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [["users", "add", "--login", "x"], {}, /missing required option --email/],
      [["users", "add", "--nope"], {}, /unknown option --nope/],
      [["sudo"], {}, /unknown command "sudo"/],
      [["users", "list"], { LK_MODE: "staging" }, /Invalid configuration:\n {2}LK_MODE/],
      [["users", "list"], { LK_PASSWORD_MIN_LENGTH: "4" }, /LK_PASSWORD_MIN_LENGTH/],
      [["users", "list"], { LK_DATABASE_URL: "mysql://db/lk" }, /LK_DATABASE_URL must start with sqlite:/],
    ];
    for (const [args, env, message] of cases) {
      const result = await runLk(url, args, env);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, "");
    }
    assert.equal(existsSync(join(dir, "never.db")), false);
  });

  test("help exits 0 and prints the usage on stdout", async () => {
    const result = await runLk(`sqlite:${join(dir, "never.db")}`, ["help"]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Usage: lk <command>/);
    assert.equal(existsSync(join(dir, "never.db")), false);
  });

  test("an unreachable database is a failure (exit 1) with a one-line reason, not a stack trace", async () => {
    const result = await runLk("postgres://postgres@127.0.0.1:1/lk", ["users", "list"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^lk: .*ECONNREFUSED/);
    assert.equal(result.stderr.trimEnd().split("\n").length, 1);
  });
});

// Browser-test support: users written straight into the server's database, as an operator's CLI would.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { loadConfig } from "../../../src/config.ts";
import { type Database, openDatabase } from "../../../src/db/connection.ts";
import { migrateToLatest } from "../../../src/db/migrate.ts";
import { createPasswordHasher, type PasswordHasher } from "../../../src/passwords/password-hasher.ts";
import { policyFromConfig } from "../../../src/passwords/passwords.service.ts";
import type { SeedUserOptions } from "../../../src/testing/test-app.ts";
import { loginKey } from "../../../src/users/users.repository.ts";
import { createUser } from "../../../src/users/users.service.ts";
import type { Language, UserStatus } from "../../../src/users/users.table.ts";
import { REPO_ROOT } from "./server.ts";

/** The same options as the in-process tests' seedUser. */
export type { SeedUserOptions } from "../../../src/testing/test-app.ts";

export interface SeededUser {
  id: number;
  login: string;
  email: string;
  password: string;
  fullName: string;
  enterprise: string;
  language: Language;
}

const config = loadConfig({ LK_MODE: "test" });
// The server's default argon2id parameters: the hash it will verify is the kind it would have written.
let hasher: PasswordHasher | undefined;

async function withDatabase<T>(databaseUrl: string, work: (database: Database) => Promise<T>): Promise<T> {
  const database = openDatabase(databaseUrl);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

/** A user with a unique login and a known password, so no test depends on another's data. */
export async function seedUser(databaseUrl: string, options: SeedUserOptions = {}): Promise<SeededUser> {
  const suffix = randomBytes(4).toString("hex");
  const login = options.login ?? `e2e_${suffix}`;
  const email = options.email ?? `${login}@shop.example`;
  const password = options.password ?? `Passw0rd${suffix.slice(0, 4)}`;
  const language = options.language ?? "ru";
  const enterprise = options.merchant ?? `Shop ${suffix}`;
  const fullName = options.fullName ?? (language === "en" ? `Jane Doe ${suffix}` : `Иван Петров ${suffix}`);
  hasher ??= createPasswordHasher(config.argon2);
  const deps = { hasher, policy: policyFromConfig(config), now: Date.now };
  return withDatabase(databaseUrl, async ({ db }) => {
    // A no-op once the server has started; lets a test seed before the server too.
    await migrateToLatest(db);
    const result = await createUser(
      { db, ...deps },
      {
        login,
        email,
        password,
        temporary: options.temporary ?? false,
        language,
        merchant: enterprise,
        rights: options.rights,
        fullName,
      },
    );
    if (!result.ok) throw new Error(`seedUser failed: ${JSON.stringify(result.errors)}`);
    return { id: result.user.id, login, email, password, fullName, enterprise, language };
  });
}

export async function setUserStatus(databaseUrl: string, login: string, status: UserStatus): Promise<void> {
  await withDatabase(databaseUrl, async ({ db }) => {
    const result = await db
      .updateTable("users")
      .set({ status })
      .where("login_key", "=", loginKey(login))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new Error(`no user ${login} to set ${status}`);
  });
}

export async function countUsers(databaseUrl: string): Promise<number> {
  return withDatabase(databaseUrl, async ({ db }) => {
    const rows = await db.selectFrom("users").select("login").execute();
    return rows.length;
  });
}

/** Runs the operator's `lk` command against this database, as `npx lk ...` would. */
export function runLk(
  databaseUrl: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/lk.js", ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_TEST_CONTEXT: undefined, LK_MODE: "test", LK_DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

// Test support for the `lk` command: run it in-process (fast, fine-grained cases) or as the real launcher.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Kysely } from "kysely";
import type { DB } from "../db/database.ts";
import { runCli } from "./run-cli.ts";

export const LK_BIN = fileURLToPath(new URL("../../bin/lk.js", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Cheap argon2 settings: the CLI tests are about the command, not the hash cost. */
export const FAST_HASH_ENV = { LK_ARGON2_MEMORY_KIB: "1024", LK_ARGON2_TIME_COST: "1" };

export interface LkResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `lk ARGS` in this process against the database at `url`, as an operator would. */
export async function runLk(
  url: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<LkResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    env: { LK_MODE: "test", LK_DATABASE_URL: url, ...FAST_HASH_ENV, ...env },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, stdout: out.map((l) => `${l}\n`).join(""), stderr: err.map((l) => `${l}\n`).join("") };
}

/** Runs the real launcher, `node bin/lk.js ARGS`, in a child process with only the given LK_* settings. */
export function spawnLk(
  url: string | undefined,
  args: string[],
  env: Record<string, string> = {},
): Promise<LkResult> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("LK_")),
  );
  const childEnv: NodeJS.ProcessEnv = { ...inherited, LK_MODE: "test", ...FAST_HASH_ENV, ...env };
  if (url !== undefined) childEnv.LK_DATABASE_URL = url;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LK_BIN, ...args], { cwd: REPO_ROOT, env: childEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

export async function countRows(db: Kysely<DB>, table: keyof DB): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

export async function userByLogin(db: Kysely<DB>, login: string) {
  return db.selectFrom("users").selectAll().where("login_key", "=", login.toLowerCase()).executeTakeFirst();
}

export async function rightsOf(db: Kysely<DB>, userId: number): Promise<string[]> {
  const rows = await db.selectFrom("user_rights").select("right_id").where("user_id", "=", userId).execute();
  return rows.map((row) => row.right_id).sort();
}

export async function auditTypesOf(db: Kysely<DB>, userId: number): Promise<string[]> {
  const rows = await db
    .selectFrom("audit_events")
    .select("event_type")
    .where("user_id", "=", userId)
    .orderBy("id")
    .execute();
  return rows.map((row) => row.event_type);
}

export const unique = (prefix: string) => `${prefix}_${randomBytes(4).toString("hex")}`;

/** `users add` arguments for a login, with a valid password unless one is given. */
export function addArgs(login: string, extra: string[] = [], password = "Passw0rd1"): string[] {
  return [
    "users",
    "add",
    "--login",
    login,
    "--email",
    `${login}@shop.example`,
    "--password",
    password,
    ...extra,
  ];
}

// The `lk` commands (PRODUCT.md "Operator contract"). Each takes an explicit context, so tests run them in-process;
// exit codes and process handling live in run-cli.ts only.
import type { Kysely } from "kysely";
import { recordAuditEvent } from "../audit/audit.repository.ts";
import { deleteSessionsOfUser } from "../auth/sessions.repository.ts";
import { DEMO_MERCHANT } from "../bootstrap.ts";
import type { Config } from "../config.ts";
import type { DB } from "../db/database.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { t } from "../i18n/i18n.ts";
import type { PasswordHasher } from "../passwords/password-hasher.ts";
import type { PasswordPolicy } from "../passwords/password-policy.ts";
import { policyFromConfig } from "../passwords/passwords.service.ts";
import { RIGHTS } from "../users/rights.ts";
import {
  findUserByLogin,
  findUserRights,
  listEnterpriseNames,
  listUsers,
  setUserStatus,
  unlockUser,
} from "../users/users.repository.ts";
import { type CreateUserError, createUser } from "../users/users.service.ts";
import type { ParsedCommand } from "./cli-args.ts";

export interface CliContext {
  db: Kysely<DB>;
  config: Config;
  hasher: PasswordHasher;
  /** One line of normal output (stdout). */
  out(line: string): void;
  /** One line of diagnostics (stderr). */
  err(line: string): void;
  now?: () => number;
}

/** Expected failures are values: each problem is one line for the operator; the caller exits with code 2. */
export type CommandOutcome = { ok: true } | { ok: false; problems: string[] };

const OK: CommandOutcome = { ok: true };
const refuse = (...problems: string[]): CommandOutcome => ({ ok: false, problems });
const nowOf = (ctx: CliContext) => (ctx.now ?? Date.now)();

/** Runs one parsed command; every command but `migrate` first applies pending migrations (operator contract). */
export async function runCommand(ctx: CliContext, command: ParsedCommand): Promise<CommandOutcome> {
  if (command.name === "migrate") return migrate(ctx);
  const applied = await migrateToLatest(ctx.db);
  if (applied.length > 0) ctx.err(`lk: applied pending migrations: ${applied.join(", ")}`);
  switch (command.name) {
    case "users add":
      return addUser(ctx, command);
    case "users list":
      return showUsers(ctx);
    case "users block":
      return blockUser(ctx, command.login);
    case "users unblock":
      return unblockUser(ctx, command.login);
    case "rights list":
      return showRights(ctx);
  }
}

export async function migrate(ctx: CliContext): Promise<CommandOutcome> {
  const applied = await migrateToLatest(ctx.db);
  if (applied.length === 0) {
    ctx.out("No pending migrations: the database is up to date.");
    return OK;
  }
  ctx.out(`Applied ${applied.length} migration${applied.length === 1 ? "" : "s"}:`);
  for (const name of applied) ctx.out(`  ${name}`);
  return OK;
}

export function showRights(ctx: CliContext): CommandOutcome {
  const width = Math.max(...RIGHTS.map((right) => right.id.length));
  for (const right of RIGHTS) ctx.out(`${right.id.padEnd(width)}  ${right.description}`);
  return OK;
}

type AddUser = Extract<ParsedCommand, { name: "users add" }>;

export async function addUser(ctx: CliContext, command: AddUser): Promise<CommandOutcome> {
  const merchant = command.merchant ?? (await defaultMerchant(ctx.db));
  if (typeof merchant !== "string") return merchant;
  const policy = policyFromConfig(ctx.config);
  const deps = { db: ctx.db, hasher: ctx.hasher, policy, now: () => nowOf(ctx) };
  const input = { ...command, merchant };
  const result = await createUser(deps, input).catch(async (error: unknown) => {
    // Two operators adding the same login at once: the unique index refuses the second; say so plainly.
    if (await findUserByLogin(ctx.db, command.login)) {
      return { ok: false as const, errors: [{ field: "login" as const, problem: "taken" as const }] };
    }
    throw error;
  });
  if (!result.ok)
    return { ok: false, problems: result.errors.flatMap((e) => describeError(e, command, policy)) };

  const user = result.user;
  const rights = await findUserRights(ctx.db, user.id);
  ctx.out(
    `Created user "${user.login}" <${user.email}>, language ${user.language}, in enterprise "${merchant.trim()}".`,
  );
  ctx.out(`Rights: ${rights.length > 0 ? rights.join(", ") : "none"}.`);
  ctx.out(
    command.temporary
      ? "The password is temporary: the user must change it at first sign-in."
      : "The password is the user's own: no change is required at sign-in.",
  );
  return OK;
}

/**
 * Without --merchant: the instance's only enterprise (the usual case: the demo shop of a test instance, or a
 * production instance serving one enterprise), or "Demo shop" on an empty database, the same name the server's
 * bootstrap uses. With several enterprises a guess could put a person into the wrong company, so we refuse.
 */
async function defaultMerchant(db: Kysely<DB>): Promise<string | CommandOutcome> {
  const names = await listEnterpriseNames(db);
  if (names.length === 0) return DEMO_MERCHANT;
  if (names.length === 1) return names[0]!;
  const shown = names.slice(0, 5).map((name) => `"${name}"`);
  if (names.length > 5) shown.push("...");
  return refuse(
    `--merchant is required: this instance has ${names.length} enterprises (${shown.join(", ")})`,
  );
}

function describeError(error: CreateUserError, command: AddUser, policy: PasswordPolicy): string[] {
  switch (error.field) {
    case "login":
      return error.problem === "taken"
        ? [`--login: a user with the login "${command.login}" already exists (logins ignore letter case)`]
        : [
            `--login "${command.login}" is not a valid login: 1 to 64 characters, Latin letters, digits and . _ @ -, ` +
              "starting with a letter or a digit",
          ];
    case "email":
      return [`--email "${command.email}" is not a valid e-mail address`];
    case "merchant":
      return ["--merchant must be a name of 1 to 200 characters"];
    case "password":
      // The password itself is never echoed: it may be a real one typed with a small mistake.
      return error.rules.map(
        (rule) =>
          `--password breaks the rule "${rule}": ${t("en", `password.error.${rule}`, {
            min: policy.minLength,
            max: policy.maxLength,
            count: policy.history,
          })}`,
      );
  }
}

export async function showUsers(ctx: CliContext): Promise<CommandOutcome> {
  const users = await listUsers(ctx.db);
  if (users.length === 0) {
    ctx.out("No users yet. Create one with: lk users add --login L --email E --password P");
    return OK;
  }
  const now = nowOf(ctx);
  const rows = users.map((user) => {
    const locked = user.locked_until !== null && user.locked_until > now;
    const status = locked ? `${user.status}, locked until ${formatUtc(user.locked_until!)}` : user.status;
    return [
      user.login,
      user.email,
      user.language,
      status,
      user.password_temporary ? "yes" : "no",
      user.enterprise,
      user.rights.length > 0 ? user.rights.join(",") : "-",
    ];
  });
  const header = ["LOGIN", "E-MAIL", "LANGUAGE", "STATUS", "TEMPORARY PASSWORD", "ENTERPRISE", "RIGHTS"];
  for (const line of formatTable([header, ...rows])) ctx.out(line);
  return OK;
}

function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function formatTable(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join("  ")
      .trimEnd(),
  );
}

const unknownUser = (login: string) => refuse(`no user with the login "${login}"`);

export async function blockUser(ctx: CliContext, login: string): Promise<CommandOutcome> {
  const user = await findUserByLogin(ctx.db, login);
  if (!user) return unknownUser(login);
  const now = nowOf(ctx);
  const wasBlocked = user.status === "blocked";
  const sessionsEnded = await ctx.db.transaction().execute(async (trx) => {
    await setUserStatus(trx, user.id, "blocked");
    // A blocked person must lose access now, not when the idle timeout ends their session.
    const ended = await deleteSessionsOfUser(trx, user.id);
    if (!wasBlocked) {
      await recordAuditEvent(trx, {
        type: "user.blocked",
        userId: user.id,
        enterpriseId: user.enterprise_id,
        login: user.login,
        details: { source: "cli", sessionsEnded: ended },
        now,
      });
    }
    return ended;
  });
  const ended = `${sessionsEnded} session${sessionsEnded === 1 ? "" : "s"} ended`;
  ctx.out(
    wasBlocked ? `User "${user.login}" was already blocked; ${ended}.` : `Blocked "${user.login}"; ${ended}.`,
  );
  return OK;
}

export async function unblockUser(ctx: CliContext, login: string): Promise<CommandOutcome> {
  const user = await findUserByLogin(ctx.db, login);
  if (!user) return unknownUser(login);
  const now = nowOf(ctx);
  const wasBlocked = user.status === "blocked";
  const wasLocked = user.locked_until !== null && user.locked_until > now;
  await ctx.db.transaction().execute(async (trx) => {
    await setUserStatus(trx, user.id, "active");
    // Also lifts the temporary lockout after failed sign-ins: the operator asked for the person to get back in.
    await unlockUser(trx, user.id);
    if (wasBlocked || wasLocked) {
      await recordAuditEvent(trx, {
        type: "user.unblocked",
        userId: user.id,
        enterpriseId: user.enterprise_id,
        login: user.login,
        details: { source: "cli", wasBlocked, lockLifted: wasLocked },
        now,
      });
    }
  });
  if (!wasBlocked && !wasLocked) ctx.out(`User "${user.login}" was already active and not locked.`);
  else ctx.out(`Unblocked "${user.login}"${wasLocked ? " and lifted the sign-in lockout" : ""}.`);
  return OK;
}

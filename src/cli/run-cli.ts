// The one place that turns outcomes into exit codes: 0 done, 2 bad arguments or configuration (nothing written),
// 1 anything else (database unreachable, a bug). Tests call runCli in-process; lk.ts hands it the real process.
import { type Config, ConfigError, loadConfig } from "../config.ts";
import { type Database, openDatabase } from "../db/connection.ts";
import { createPasswordHasher } from "../passwords/password-hasher.ts";
import { GENERAL_HINT, parseCommandLine } from "./cli-args.ts";
import { runCommand } from "./commands.ts";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  /** The environment the configuration is read from (the server's variables: LK_MODE, LK_DATABASE_URL, ...). */
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
  now?: () => number;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (parsed.kind === "help") {
    io.out(parsed.text);
    return EXIT_OK;
  }
  if (parsed.kind === "invalid") {
    reportProblems(io, parsed.problems, parsed.usage);
    return EXIT_USAGE;
  }

  let config: Config;
  let database: Database;
  try {
    config = loadConfig(io.env);
    database = openDatabase(config.databaseUrl);
  } catch (error) {
    if (error instanceof ConfigError) io.err(error.message);
    // openDatabase refuses a URL of an unknown kind before connecting: that is a configuration mistake too.
    else io.err(`Invalid configuration:\n  LK_DATABASE_URL: ${describe(error)}`);
    return EXIT_USAGE;
  }

  try {
    const outcome = await runCommand(
      {
        db: database.db,
        config,
        hasher: createPasswordHasher(config.argon2),
        out: io.out,
        err: io.err,
        now: io.now,
      },
      parsed.command,
    );
    if (outcome.ok) return EXIT_OK;
    reportProblems(io, outcome.problems, parsed.usage);
    return EXIT_USAGE;
  } catch (error) {
    io.err(`lk: ${describe(error)}`);
    return EXIT_FAILURE;
  } finally {
    // Closing the pool (PostgreSQL) or the file (SQLite) lets the process exit as soon as the command is done.
    await database.close().catch(() => {});
  }
}

function reportProblems(io: CliIo, problems: string[], usage: string): void {
  for (const problem of problems) io.err(`lk: ${problem}`);
  io.err(usage || GENERAL_HINT);
}

/** A one-line reason; connection failures from pg come as an AggregateError with an empty message. */
function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(describe).join("; ");
  }
  if (error instanceof Error) {
    const code = (error as Error & { code?: string }).code;
    return error.message || code || error.name;
  }
  return String(error);
}

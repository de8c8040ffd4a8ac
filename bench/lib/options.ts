import { parseArgs } from "node:util";

export interface BenchOptions {
  /** Measured window of each phase. */
  durationMs: number;
  /** Unmeasured run before each window: JIT, connection set-up, SQLite page cache, pool threads started. */
  warmupMs: number;
  /** Concurrent HTTP clients for the sign-in phase; undefined lets the benchmark choose. */
  concurrency?: number;
  /** Also measure sign-ins against PostgreSQL (a throwaway database). */
  postgres: boolean;
  /** Run the server with --cpu-prof and summarise where its main thread spent the window. */
  profile: boolean;
  /** LK_LOG_LEVEL of the server under test. */
  logLevel: string;
}

export class UsageError extends Error {}

export const USAGE = `usage: npm run bench -- [NAME ...] [options]

  NAME               a benchmark to run (default: all of them)
  --seconds N        measured seconds per phase (default 10)
  --warmup N         warm-up seconds before each phase (default 2)
  --concurrency N    HTTP clients in the sign-in phase (default: cores + 2)
  --postgres         also run the sign-in phase on PostgreSQL (a throwaway database on
                     LK_BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres)
  --profile          CPU-profile the server (--cpu-prof) and print where its main thread spends time
  --log-level L      LK_LOG_LEVEL of the server under test (default warn)
  -h, --help         this text`;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export function parseBenchArgs(argv: string[]): { names: string[]; options: BenchOptions; help: boolean } {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const seconds = positiveNumber("--seconds", values.seconds ?? "10");
  const warmup = nonNegativeNumber("--warmup", values.warmup ?? "2");
  const concurrency = values.concurrency === undefined ? undefined : positiveInt(values.concurrency);
  const logLevel = values["log-level"] ?? "warn";
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(", ")} (got "${logLevel}")`);
  }
  return {
    names: positionals,
    help: values.help ?? false,
    options: {
      durationMs: seconds * 1000,
      warmupMs: warmup * 1000,
      concurrency,
      postgres: values.postgres ?? false,
      profile: values.profile ?? false,
      logLevel,
    },
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      seconds: { type: "string" },
      warmup: { type: "string" },
      concurrency: { type: "string" },
      postgres: { type: "boolean" },
      profile: { type: "boolean" },
      "log-level": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function positiveNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`${flag} must be a positive number (got "${text}")`);
  return value;
}

function nonNegativeNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`${flag} must be 0 or more (got "${text}")`);
  return value;
}

function positiveInt(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 1000) {
    throw new UsageError(`--concurrency must be a whole number from 1 to 1000 (got "${text}")`);
  }
  return value;
}

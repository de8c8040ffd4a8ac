// `npm run bench` runs every benchmark; `npm run bench -- NAME ...` runs the named ones.
// Benchmarks measure; they do not pass or fail: exit 0 whatever the figures, 2 on bad arguments, 1 on errors.
import { ConfigError } from "../src/config.ts";
import { runAllCleanup, wasInterrupted } from "./lib/cleanup.ts";
import { type BenchOptions, parseBenchArgs, USAGE, UsageError } from "./lib/options.ts";

interface BenchmarkModule {
  run(options: BenchOptions): Promise<void>;
}

/** Every benchmark of the project: name → what it measures and how to load it (loaded only when run). */
const BENCHMARKS: Record<string, { description: string; load: () => Promise<BenchmarkModule> }> = {
  "sign-in": {
    description:
      "raw argon2id verifies/s vs full HTTP sign-ins/s against a running server (goal: ratio ≥ 0.9)",
    load: () => import("./sign-in.bench.ts"),
  },
};

function listing(): string {
  return Object.entries(BENCHMARKS)
    .map(([name, { description }]) => `  ${name.padEnd(12)} ${description}`)
    .join("\n");
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseBenchArgs>;
  try {
    parsed = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}\n\nbenchmarks:\n${listing()}`);
    return 2;
  }
  if (parsed.help) {
    console.log(`${USAGE}\n\nbenchmarks:\n${listing()}`);
    return 0;
  }
  const unknown = parsed.names.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    console.error(
      `Unknown benchmark ${unknown.map((n) => `"${n}"`).join(", ")}. Known benchmarks:\n${listing()}`,
    );
    return 2;
  }
  const names = parsed.names.length > 0 ? [...new Set(parsed.names)] : Object.keys(BENCHMARKS);
  for (const name of names) {
    const benchmark = await BENCHMARKS[name]!.load();
    await benchmark.run(parsed.options);
  }
  return 0;
}

main()
  .then(
    (code) => code,
    (error: unknown) => {
      if (wasInterrupted()) return 130;
      // The same LK_* environment the server reads: a bad value is the caller's to fix, like a bad argument.
      if (error instanceof ConfigError) {
        console.error(error.message);
        return 2;
      }
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      return 1;
    },
  )
  .then(async (code) => {
    await runAllCleanup();
    process.exit(wasInterrupted() ? 130 : code);
  });

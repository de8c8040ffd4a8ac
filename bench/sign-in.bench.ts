// Sign-in benchmark (issue 2, "Benchmark"): raw argon2id verifies per second with the configured parameters
// on all cores, against full HTTP sign-ins per second (GET form for the CSRF token, POST, session row,
// 303 with the session cookie) on a real server process. Goal: sign-ins/s ≥ 0.9 × raw verifies/s.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { cookieNames } from "../src/auth/cookies.ts";
import { type Config, loadConfig } from "../src/config.ts";
import { openDatabase } from "../src/db/connection.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { createPasswordHasher } from "../src/passwords/password-hasher.ts";
import { policyFromConfig } from "../src/passwords/passwords.service.ts";
import { createUser } from "../src/users/users.service.ts";
import { deferCleanup } from "./lib/cleanup.ts";
import { findFreePort } from "./lib/free-port.ts";
import { type Connection, cookieHeader, cookiesOf, createConnection } from "./lib/http-client.ts";
import type { BenchOptions } from "./lib/options.ts";
import type { CpuWindow } from "./lib/proc-cpu.ts";
import { startCpuWindow } from "./lib/proc-cpu.ts";
import { type ProfileSummary, summarizeProfile } from "./lib/profile-summary.ts";
import { measureRawVerifies, type RawVerifyResult } from "./lib/raw-verify.ts";
import { startServer } from "./lib/server-process.ts";
import { quantile, runTimedLoops } from "./lib/timed-loops.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RESULTS_DIR = join(ROOT, "bench/results");
const GOAL = 0.9;
const POSTGRES_ADMIN_URL = process.env.LK_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

type DatabaseKind = "sqlite" | "postgres";

interface SignInPhase {
  database: DatabaseKind;
  signInsPerSec: number;
  signIns: number;
  failures: number;
  windowMs: number;
  concurrency: number;
  latencyMs: { p50: number; p95: number; p99: number };
  /** Sessions in the database after the run, and the successful sign-ins the clients saw (must match). */
  sessionsInDatabase: number;
  sessionsExpected: number;
  /** UV_THREADPOOL_SIZE the server ran with ("default" = libuv's 4). */
  serverThreadpool: string;
  cpu: CpuWindow;
  serverLogLines: string[];
  profile?: ProfileSummary;
}

export async function run(options: BenchOptions): Promise<void> {
  const config = loadConfig(process.env);
  const cores = availableParallelism();
  // Closed-loop clients: with exactly one request per core, each hash thread idles while its client
  // receives the 303 and sends the next POST; two more keep a sign-in queued for every hash thread.
  const concurrency = options.concurrency ?? cores + 2;
  const { memoryKib, timeCost, parallelism } = config.argon2;
  console.log(
    `sign-in benchmark: node ${process.version}, ${cores} cores, argon2id m=${memoryKib} KiB t=${timeCost} p=${parallelism}, ` +
      `warm-up ${options.warmupMs / 1000} s + ${options.durationMs / 1000} s measured per phase`,
  );

  const raw = await measureRawVerifies({
    argon2: config.argon2,
    concurrency: cores,
    warmupMs: options.warmupMs,
    durationMs: options.durationMs,
  });
  console.log(
    `  raw argon2id verify   ${fmt(raw.verifiesPerSec).padStart(8)} verifies/s  ` +
      `(${cores} loops, libuv pool ${raw.threadpoolSize}, p50 ${fmt(raw.latencyMs.p50)} ms)`,
  );

  const phases: SignInPhase[] = [];
  const kinds: DatabaseKind[] = options.postgres ? ["sqlite", "postgres"] : ["sqlite"];
  for (const database of kinds) {
    const phase = await measureSignIns({ config, options, database, concurrency });
    phases.push(phase);
    console.log(
      `  HTTP sign-in, ${database.padEnd(8)} ${fmt(phase.signInsPerSec).padStart(6)} sign-ins/s  ` +
        `(${phase.concurrency} clients, p50 ${fmt(phase.latencyMs.p50)} ms, p95 ${fmt(phase.latencyMs.p95)} ms, ` +
        `${phase.failures} failures)`,
    );
  }

  report(raw, phases, { cores, options });
  const rawCpu = cpuPerOperation(raw.cpu, raw.verifies, raw.windowMs, false);
  const main = phases[0]!;
  const ratio = round(main.signInsPerSec / raw.verifiesPerSec, 3);
  const result = {
    rawVerifiesPerSec: round(raw.verifiesPerSec),
    signInsPerSec: round(main.signInsPerSec),
    ratio,
    goal: GOAL,
    goalMet: ratio >= GOAL,
    cpuBoundRatio: cpuBoundRatios(rawCpu, cpuPerOperation(main.cpu, main.signIns, main.windowMs, true)),
    argon2: { memoryKib, timeCost, parallelism },
    cores,
    durationMs: options.durationMs,
    warmupMs: options.warmupMs,
    concurrency: main.concurrency,
    database: main.database,
    node: process.version,
    at: new Date().toISOString(),
    raw: { ...raw, verifiesPerSec: round(raw.verifiesPerSec), cpuMsPerOperation: rawCpu },
    signIn: phases.map((phase) => {
      const cpuMsPerOperation = cpuPerOperation(phase.cpu, phase.signIns, phase.windowMs, true);
      return {
        ...phase,
        signInsPerSec: round(phase.signInsPerSec),
        ratio: round(phase.signInsPerSec / raw.verifiesPerSec, 3),
        cpuMsPerOperation,
        cpuBoundRatio: cpuBoundRatios(rawCpu, cpuMsPerOperation),
      };
    }),
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, "sign-in.json");
  // Three decimals are plenty for rates, milliseconds and ratios measured on a shared machine.
  const rounded = (_key: string, value: unknown) =>
    typeof value === "number" && !Number.isInteger(value) ? round(value, 3) : value;
  writeFileSync(file, `${JSON.stringify(result, rounded, 2)}\n`);
  console.log(`  written to ${file}`);
}

async function measureSignIns(input: {
  config: Config;
  options: BenchOptions;
  database: DatabaseKind;
  concurrency: number;
}): Promise<SignInPhase> {
  const { config, options, database, concurrency } = input;
  const dir = mkdtempSync(join(tmpdir(), "lk-bench-"));
  const removeDir = deferCleanup({
    label: `temp dir ${dir}`,
    run: () => rmSync(dir, { recursive: true, force: true }),
    runSync: () => rmSync(dir, { recursive: true, force: true }),
  });
  try {
    const { url, name: databaseName, drop } = await createDatabase(database, dir);
    try {
      const users = await seedUsers(config, url, concurrency);
      const port = await findFreePort();
      const env = serverEnvironment(config, { port, url, dir, logLevel: options.logLevel });
      const sessionCookie = cookieNames(loadConfig(env)).session;
      const profileDir = join(dir, "profile");
      const server = await startServer({
        root: ROOT,
        port,
        env,
        logFile: join(dir, "server.log"),
        nodeArgs: options.profile ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [],
      });
      let phase: DrivenPhase;
      let window: [bigint, bigint] = [0n, 0n];
      try {
        phase = await driveSignIns({
          port,
          users,
          sessionCookie,
          options,
          serverPid: server.pid,
          // PostgreSQL's backends for this database do part of each sign-in's work in their own processes.
          databaseProcesses:
            database === "postgres" ? new RegExp(`^postgres:.* ${databaseName} `) : undefined,
          onWindow: (start, end) => {
            window = [start, end];
          },
        });
      } finally {
        await server.stop();
      }
      const sessionsInDatabase = await countSessions(url);
      const profile = options.profile
        ? keepProfile(profileDir, { database, window, operations: phase.signIns })
        : undefined;
      return {
        ...phase,
        database,
        sessionsInDatabase,
        serverThreadpool: env.UV_THREADPOOL_SIZE ?? "default",
        serverLogLines: server
          .log()
          .split("\n")
          .filter((line) => line.trim() !== "")
          .slice(0, 20),
        profile,
      };
    } finally {
      await drop();
    }
  } finally {
    await removeDir();
  }
}

/** The server under test: test mode on loopback, the benchmark's database and argon2 parameters. */
function serverEnvironment(
  config: Config,
  where: { port: number; url: string; dir: string; logLevel: string },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LK_MODE: "test",
    LK_HOST: "127.0.0.1",
    LK_PORT: String(where.port),
    LK_DATABASE_URL: where.url,
    LK_LOG_LEVEL: where.logLevel,
    LK_OUTBOX_DIR: join(where.dir, "outbox"),
    LK_ARGON2_MEMORY_KIB: String(config.argon2.memoryKib),
    LK_ARGON2_TIME_COST: String(config.argon2.timeCost),
    LK_ARGON2_PARALLELISM: String(config.argon2.parallelism),
  };
  // An https public URL would rename the cookies (__Host-) and mark them Secure; SMTP and proxy trust are
  // not part of a sign-in.
  for (const name of ["LK_PUBLIC_URL", "LK_SMTP_URL", "LK_TRUST_PROXY"]) delete env[name];
  return env;
}

/** Summarises the server's main-thread profile and keeps the file for Chrome DevTools (the temp dir goes). */
function keepProfile(
  profileDir: string,
  run: { database: DatabaseKind; window: [bigint, bigint]; operations: number },
): ProfileSummary | undefined {
  const profile = summarizeProfile(mainThreadProfile(profileDir), run);
  if (!profile) return undefined;
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `sign-in-${run.database}.cpuprofile`), profile.raw);
  return { areasMsPerOperation: profile.areasMsPerOperation, lines: profile.lines };
}

/** What the clients measure; the rest of a SignInPhase comes from the server and the database afterwards. */
type DrivenPhase = Omit<
  SignInPhase,
  "database" | "sessionsInDatabase" | "serverLogLines" | "serverThreadpool" | "profile"
>;

/**
 * With --import tsx, Node runs the module hooks on a second thread that writes its own profile; the event
 * loop's is the one with thread id 0 in its name (CPU.date.time.pid.tid.seq.cpuprofile).
 */
function mainThreadProfile(profileDir: string): string {
  const names = existsSync(profileDir) ? readdirSync(profileDir) : [];
  const name = names.find((file) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(file));
  return join(profileDir, name ?? "missing.cpuprofile");
}

interface BenchUser {
  login: string;
  password: string;
}

/** One user per client, as many people signing in at once would be (no contention on one user row). */
async function seedUsers(config: Config, url: string, count: number): Promise<BenchUser[]> {
  const database = openDatabase(url);
  try {
    await migrateToLatest(database.db);
    const deps = {
      db: database.db,
      hasher: createPasswordHasher(config.argon2),
      policy: policyFromConfig(config),
      now: Date.now,
    };
    const users: BenchUser[] = [];
    for (let i = 0; i < count; i++) {
      const user = { login: `bench${i}`, password: `Bench${1000 + i}x` };
      const result = await createUser(deps, {
        ...user,
        email: `bench${i}@shop.example`,
        temporary: false,
        language: "ru",
        merchant: "Bench shop",
      });
      if (!result.ok) throw new Error(`could not create ${user.login}: ${JSON.stringify(result.errors)}`);
      users.push(user);
    }
    return users;
  } finally {
    await database.close();
  }
}

async function countSessions(url: string): Promise<number> {
  const database = openDatabase(url);
  try {
    const row = await database.db
      .selectFrom("sessions")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  } finally {
    await database.close();
  }
}

interface Client {
  connection: Connection;
  user: BenchUser;
  /** The anonymous CSRF cookie from GET /sign-in; never the session cookie, so each POST is a fresh sign-in. */
  cookies: string;
  body: string;
}

async function driveSignIns(input: {
  port: number;
  users: BenchUser[];
  sessionCookie: string;
  options: BenchOptions;
  serverPid: number;
  databaseProcesses?: RegExp;
  onWindow: (startNs: bigint, endNs: bigint) => void;
}): Promise<DrivenPhase> {
  const { port, users, sessionCookie, options } = input;
  // Not timed: opening the form is what a person does once, before typing the password.
  const clients = await Promise.all(users.map((user) => openSignInForm(port, user)));
  try {
    await checkSessionOpensCabinet(clients[0]!, sessionCookie);
    const sanityChecks = 1;

    let finishCpu: (() => CpuWindow) | undefined;
    let cpu: CpuWindow = { ownMs: 0 };
    let windowStart = 0n;
    const result = await runTimedLoops({
      concurrency: clients.length,
      warmupMs: options.warmupMs,
      durationMs: options.durationMs,
      operation: async (index) => (await postSignIn(clients[index]!, sessionCookie)).ok,
      onWindowStart: () => {
        windowStart = process.hrtime.bigint();
        finishCpu = startCpuWindow(input.serverPid, input.databaseProcesses);
      },
      onWindowEnd: () => {
        cpu = finishCpu?.() ?? cpu;
        input.onWindow(windowStart, process.hrtime.bigint());
      },
    });
    const latencies = result.latenciesMs;
    return {
      signInsPerSec: result.perSecond,
      signIns: result.successes,
      failures: result.failures,
      windowMs: result.windowMs,
      concurrency: clients.length,
      latencyMs: {
        p50: quantile(latencies, 0.5),
        p95: quantile(latencies, 0.95),
        p99: quantile(latencies, 0.99),
      },
      sessionsExpected: result.successesTotal + sanityChecks,
      cpu,
    };
  } finally {
    for (const client of clients) client.connection.close();
  }
}

/** One complete sign-in; a success is a 303 with a Location and a non-empty session cookie. */
async function postSignIn(client: Client, sessionCookie: string): Promise<{ ok: boolean; session?: string }> {
  const response = await client.connection.request({
    method: "POST",
    path: "/sign-in",
    headers: {
      origin: client.connection.origin,
      "content-type": "application/x-www-form-urlencoded",
      cookie: client.cookies,
      "user-agent": "lk-bench",
    },
    body: client.body,
  });
  const session = cookiesOf(response).get(sessionCookie);
  const ok = response.status === 303 && typeof response.headers.location === "string" && !!session;
  return { ok, session };
}

/** One sign-in whose session is then used: proves that a 303 with a cookie really is a working session. */
async function checkSessionOpensCabinet(client: Client, sessionCookie: string): Promise<void> {
  const first = await postSignIn(client, sessionCookie);
  if (!first.ok || !first.session)
    throw new Error("the first sign-in did not answer 303 with a session cookie");
  const home = await client.connection.request({
    method: "GET",
    path: "/",
    headers: { cookie: `${sessionCookie}=${first.session}` },
  });
  if (home.status !== 200)
    throw new Error(`the new session does not open the cabinet (GET / → ${home.status})`);
}

async function openSignInForm(port: number, user: BenchUser): Promise<Client> {
  const connection = createConnection(port);
  const page = await connection.request({ method: "GET", path: "/sign-in" });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const cookies = cookiesOf(page);
  if (page.status !== 200 || !token || cookies.size === 0) {
    throw new Error(`GET /sign-in gave no CSRF cookie and token (status ${page.status})`);
  }
  const body = new URLSearchParams({ _csrf: token, login: user.login, password: user.password }).toString();
  return { connection, user, cookies: cookieHeader(cookies), body };
}

async function createDatabase(
  kind: DatabaseKind,
  dir: string,
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  if (kind === "sqlite") return { url: `sqlite:${join(dir, "bench.db")}`, name: "", drop: async () => {} };
  const name = `lk_bench_${randomBytes(6).toString("hex")}`;
  await withPostgresAdmin((client) => client.query(`create database ${name}`));
  const dropNow = deferCleanup({
    label: `postgres database ${name}`,
    run: () => withPostgresAdmin((client) => client.query(`drop database if exists ${name} with (force)`)),
  });
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: dropNow };
}

async function withPostgresAdmin(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/** CPU spent per operation (ms) in the measured window, and what the rates would be if only CPU counted. */
interface CpuPerOperation {
  /** Server (or raw process) threads other than the event loop: argon2 on libuv's pool, V8 helpers. */
  otherThreads?: number;
  mainThread?: number;
  /** PostgreSQL's backend processes for the benchmark's database (SQLite runs inside the server). */
  database?: number;
  /** The load generator (this process); zero for the raw phase, whose loops run in the measured process. */
  loadGenerator?: number;
  /** Cores kept busy by processes outside the benchmark during the window: other work on a shared machine. */
  othersBusyCores?: number;
}

function cpuPerOperation(cpu: CpuWindow, operations: number, windowMs: number, loadGenerator: boolean) {
  const per = (ms: number | undefined) =>
    ms === undefined || operations === 0 ? undefined : ms / operations;
  const result: CpuPerOperation = {
    otherThreads:
      cpu.processMs === undefined || cpu.processMainThreadMs === undefined
        ? undefined
        : per(cpu.processMs - cpu.processMainThreadMs),
    mainThread: per(cpu.processMainThreadMs),
    database: per(cpu.databaseMs),
    loadGenerator: loadGenerator ? per(cpu.ownMs) : undefined,
  };
  if (cpu.machineBusyMs !== undefined && cpu.processMs !== undefined) {
    const ours = cpu.processMs + (cpu.databaseMs ?? 0) + (loadGenerator ? cpu.ownMs : 0);
    result.othersBusyCores = Math.max(0, (cpu.machineBusyMs - ours) / windowMs);
  }
  return result;
}

/**
 * On a machine shared with other work, rates move with the neighbours' load; CPU time per operation hardly
 * does. The ratio of CPU per raw verify to CPU per sign-in is what the rates' ratio would be on a machine
 * with nothing else running, once with the load generator elsewhere (server alone) and once on the same host.
 */
function cpuBoundRatios(raw: CpuPerOperation, phase: CpuPerOperation) {
  const rawMs = (raw.otherThreads ?? Number.NaN) + (raw.mainThread ?? Number.NaN);
  const serverMs =
    (phase.otherThreads ?? Number.NaN) + (phase.mainThread ?? Number.NaN) + (phase.database ?? 0);
  const withClient = serverMs + (phase.loadGenerator ?? Number.NaN);
  return {
    serverAlone: Number.isFinite(rawMs / serverMs) ? rawMs / serverMs : undefined,
    withLoadGenerator: Number.isFinite(rawMs / withClient) ? rawMs / withClient : undefined,
  };
}

function report(
  raw: RawVerifyResult,
  phases: SignInPhase[],
  context: { cores: number; options: BenchOptions },
) {
  const rawCpu = cpuPerOperation(raw.cpu, raw.verifies, raw.windowMs, false);
  console.log("");
  for (const phase of phases) {
    const ratio = phase.signInsPerSec / raw.verifiesPerSec;
    const verdict = ratio >= GOAL ? "goal met" : "GOAL NOT MET";
    console.log(`  ratio sign-ins/raw (${phase.database}): ${ratio.toFixed(3)}   goal ≥ ${GOAL}: ${verdict}`);
  }
  console.log("");
  console.log("  CPU ms per operation in the measured window:");
  console.log(cpuLine("raw verify", rawCpu));
  for (const phase of phases) {
    const phaseCpu = cpuPerOperation(phase.cpu, phase.signIns, phase.windowMs, true);
    console.log(cpuLine(`sign-in ${phase.database}`, phaseCpu));
    const ratios = cpuBoundRatios(rawCpu, phaseCpu);
    if (ratios.serverAlone !== undefined) {
      console.log(
        `      CPU-bound ratio (${phase.database}, immune to other load): server alone ${ratios.serverAlone.toFixed(3)}, ` +
          `with the load generator on the same cores ${ratios.withLoadGenerator?.toFixed(3) ?? "-"}`,
      );
    }
  }
  console.log(
    "    pool+helpers = threads other than the event loop (argon2 on libuv's pool, V8 GC/compiler helpers);\n" +
      "    main = the event loop's JavaScript (HTTP, routing, CSRF, SQL, rendering); db = PostgreSQL backends\n" +
      "    (SQLite runs inside main); client = the load generator (this process);\n" +
      "    others = cores busy with processes outside the benchmark (noise on a shared machine)",
  );
  for (const phase of phases) reportPhaseNotes(phase, context);
}

function reportPhaseNotes(phase: SignInPhase, context: { cores: number; options: BenchOptions }) {
  if (phase.failures > 0) console.log(`  ${phase.database}: ${phase.failures} sign-ins did not succeed`);
  if (phase.sessionsInDatabase !== phase.sessionsExpected) {
    console.log(
      `  ${phase.database}: ${phase.sessionsInDatabase} sessions in the database, but clients saw ` +
        `${phase.sessionsExpected} successful sign-ins`,
    );
  }
  if (phase.serverLogLines.length > 0) {
    console.log(`  ${phase.database} server log (first lines at ${context.options.logLevel} and above):`);
    for (const line of phase.serverLogLines.slice(0, 5)) console.log(`    ${line.slice(0, 200)}`);
  }
  const pool = Number(phase.serverThreadpool) || 4;
  if (pool < context.cores) {
    console.log(
      `  note: the server ran with ${pool} libuv threads for ${context.cores} cores, so argon2 cannot use every ` +
        "core; set UV_THREADPOOL_SIZE for the server",
    );
  }
  if (phase.profile) {
    console.log(`  ${phase.database} server profile, main thread, measured window:`);
    for (const line of phase.profile.lines) console.log(`    ${line}`);
  }
}

function cpuLine(label: string, cpu: CpuPerOperation): string {
  const ms = (value: number | undefined) => (value === undefined ? "-" : value.toFixed(2)).padStart(6);
  return (
    `    ${label.padEnd(16)} pool+helpers ${ms(cpu.otherThreads)}   main ${ms(cpu.mainThread)}   ` +
    `db ${ms(cpu.database)}   client ${ms(cpu.loadGenerator)}   others ${cpu.othersBusyCores?.toFixed(2) ?? "-"} cores busy`
  );
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return "-";
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

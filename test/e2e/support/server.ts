// Browser-test support: the real server (`node --import tsx src/server.ts`) on a free port and a fresh database.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Dialect } from "../../../src/db/connection.ts";
import { createEmptyTestDatabase, type TestDatabase } from "../../../src/db/test-database.ts";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

export interface StartServerOptions {
  /** Extra environment for the server (LK_MODE, LK_LOCKOUT_THRESHOLD, ...); may be a function of the port. */
  env?: Record<string, string> | ((port: number) => Record<string, string>);
  /** SQLite temp file (the default) or a throwaway PostgreSQL database, both removed at stop(). */
  dialect?: Dialect;
}

export interface RunningServer {
  url: string;
  port: number;
  databaseUrl: string;
  dialect: Dialect;
  /** Every stdout/stderr line of the server so far. */
  logs: string[];
  outboxDir: string;
  /** Resolves with the first log line matching `predicate`, waiting for it up to `timeoutMs`. */
  waitForLog(predicate: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (the OS picks it); the server binds it a moment later. */
export function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => child.once("exit", () => resolveExit()));
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const dialect = options.dialect ?? "sqlite";
  const dir = mkdtempSync(join(tmpdir(), "lk-e2e-"));
  const outboxDir = join(dir, "outbox");
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  let database: TestDatabase;
  try {
    // Empty: the server migrates it at start, as in production.
    database = await createEmptyTestDatabase(dialect);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const extraEnv = typeof options.env === "function" ? options.env(port) : (options.env ?? {});
  const env: Record<string, string | undefined> = {
    ...process.env,
    LK_MODE: "test",
    LK_LOG_LEVEL: "info",
    ...extraEnv,
    LK_HOST: "127.0.0.1",
    LK_PORT: String(port),
    LK_DATABASE_URL: database.url,
    LK_OUTBOX_DIR: outboxDir,
  };
  // The test runner's own variables must not leak into the server (it would think it is a test file).
  delete env.NODE_TEST_CONTEXT;

  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Should the test process end without stop() (a crash, a cancelled run), the server must not outlive it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const logs: string[] = [];
  const listeners = new Set<() => void>();
  const capture = (stream: NodeJS.ReadableStream | null) => {
    let rest = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop() ?? "";
      logs.push(...lines.filter((line) => line.length > 0));
      for (const listener of listeners) listener();
    });
    stream?.on("end", () => {
      if (rest) logs.push(rest);
    });
  };
  capture(child.stdout);
  capture(child.stderr);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exited(child);
      clearTimeout(timer);
    }
    try {
      await database.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  const waitForLog = (predicate: (line: string) => boolean, timeoutMs = 10_000) =>
    new Promise<string>((resolveLine, reject) => {
      const check = () => {
        const line = logs.find(predicate);
        if (line === undefined) return false;
        listeners.delete(onLine);
        clearTimeout(timer);
        resolveLine(line);
        return true;
      };
      const onLine = () => void check();
      const timer = setTimeout(() => {
        listeners.delete(onLine);
        reject(new Error(`no matching server log line within ${timeoutMs} ms; log:\n${logs.join("\n")}`));
      }, timeoutMs);
      listeners.add(onLine);
      check();
    });

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await isHealthy(url))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      const why =
        child.exitCode !== null ? `exited with ${child.exitCode}` : "did not become healthy in time";
      await stop();
      throw new Error(`server ${why}; log:\n${logs.join("\n")}`);
    }
    await sleep(100);
  }
  return { url, port, databaseUrl: database.url, dialect, logs, outboxDir, waitForLog, stop };
}

/** Parses the server's pino JSON lines; other lines (a stack trace on stderr) are skipped. */
export function jsonLogs(logs: readonly string[]): Record<string, unknown>[] {
  return logs.flatMap((line) => {
    try {
      const value: unknown = JSON.parse(line);
      return value && typeof value === "object" ? [value as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

// The cabinet as an operator runs it: `node --import tsx src/server.ts` in its own process, configured only
// through the environment, its log written to a file (draining a pipe would cost the load generator CPU).
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { deferCleanup } from "./cleanup.ts";

export interface ServerProcess {
  pid: number;
  port: number;
  baseUrl: string;
  /** The server's log so far (stdout and stderr). */
  log(): string;
  /** Sends SIGTERM (the server closes gracefully and writes its CPU profile), SIGKILL after a grace period. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  /** The repository root: the server runs from there, as `npm start` does. */
  root: string;
  port: number;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Extra Node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
}

const STOP_GRACE_MS = 10_000;

export async function startServer(options: StartServerOptions): Promise<ServerProcess> {
  const logFd = openSync(options.logFile, "a");
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), "--import", "tsx", join(options.root, "src/server.ts")],
    { cwd: options.root, env: options.env, stdio: ["ignore", logFd, logFd] },
  );
  closeSync(logFd);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const log = () => readLog(options.logFile);
  const stop = deferCleanup({
    label: `server pid ${child.pid}`,
    run: () => stopChild(child, exited),
    runSync: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  });
  if (child.pid === undefined) {
    await stop();
    throw new Error("could not start the server process");
  }

  const baseUrl = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  let earlyExit: number | null | undefined;
  void exited.then((code) => {
    earlyExit = code;
  });
  for (;;) {
    if (earlyExit !== undefined) {
      await stop();
      throw new Error(`the server exited with code ${earlyExit} before it was ready:\n${log()}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer GET /healthz with 200 in time:\n${log()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  return { pid: child.pid, port: options.port, baseUrl, log, stop };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

function readLog(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

// Raw argon2id verification throughput, measured in a child process of its own: there the libuv thread
// pool can be sized before first use (UV_THREADPOOL_SIZE is read once, when the pool starts), and nothing
// else (HTTP client, tsx compiling the server) competes for this process's event loop.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Argon2Params } from "../../src/passwords/password-hasher.ts";
import { deferCleanup } from "./cleanup.ts";
import type { CpuWindow } from "./proc-cpu.ts";

export interface RawVerifyRequest {
  argon2: Argon2Params;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

export interface RawVerifyResult {
  verifiesPerSec: number;
  verifies: number;
  windowMs: number;
  threadpoolSize: number;
  latencyMs: { p50: number; p95: number };
  cpu: CpuWindow;
}

const CHILD = fileURLToPath(new URL("./raw-verify.child.ts", import.meta.url));

export async function measureRawVerifies(request: RawVerifyRequest): Promise<RawVerifyResult> {
  // Libuv's default is 4 threads; fewer threads than loops would cap the rate below what the cores can do.
  const threadpoolSize = Math.max(request.concurrency, Number(process.env.UV_THREADPOOL_SIZE) || 4);
  const child = fork(CHILD, [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, UV_THREADPOOL_SIZE: String(threadpoolSize) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const stop = deferCleanup({
    label: `raw verify pid ${child.pid}`,
    run: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
    runSync: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  });
  try {
    return await new Promise<RawVerifyResult>((resolve, reject) => {
      child.once("message", (message) => {
        const answer = message as { ok: true; result: RawVerifyResult } | { ok: false; error: string };
        if (answer.ok) resolve({ ...answer.result, threadpoolSize });
        else reject(new Error(`raw verify failed: ${answer.error}`));
      });
      child.once("exit", (code) => reject(new Error(`raw verify process exited with code ${code}`)));
      child.send(request);
    });
  } finally {
    await stop();
  }
}

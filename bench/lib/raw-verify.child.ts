// Child process of raw-verify.ts: receives a RawVerifyRequest, answers with a RawVerifyResult.
import { createPasswordHasher } from "../../src/passwords/password-hasher.ts";
import { startCpuWindow } from "./proc-cpu.ts";
import type { RawVerifyRequest, RawVerifyResult } from "./raw-verify.ts";
import { quantile, runTimedLoops } from "./timed-loops.ts";

const PASSWORD = "Bench1234raw";

async function measure(request: RawVerifyRequest): Promise<RawVerifyResult> {
  // The same hasher object the server uses, so the raw figure includes exactly its verify path.
  const hasher = createPasswordHasher(request.argon2);
  const stored = await hasher.hash(PASSWORD);
  let finishCpu: (() => ReturnType<ReturnType<typeof startCpuWindow>>) | undefined;
  let cpu: RawVerifyResult["cpu"] | undefined;
  const result = await runTimedLoops({
    concurrency: request.concurrency,
    warmupMs: request.warmupMs,
    durationMs: request.durationMs,
    operation: async () => {
      if (!(await hasher.verify(stored, PASSWORD))) throw new Error("verify of the right password failed");
      return true;
    },
    onWindowStart: () => {
      finishCpu = startCpuWindow();
    },
    onWindowEnd: () => {
      cpu = finishCpu?.();
    },
  });
  return {
    verifiesPerSec: result.perSecond,
    verifies: result.successes,
    windowMs: result.windowMs,
    threadpoolSize: Number(process.env.UV_THREADPOOL_SIZE) || 4,
    latencyMs: { p50: quantile(result.latenciesMs, 0.5), p95: quantile(result.latenciesMs, 0.95) },
    cpu: cpu ?? { ownMs: 0 },
  };
}

process.once("message", (message) => {
  measure(message as RawVerifyRequest).then(
    (result) => process.send!({ ok: true, result }, () => process.exit(0)),
    (error: unknown) =>
      process.send!({ ok: false, error: error instanceof Error ? error.stack : String(error) }, () =>
        process.exit(1),
      ),
  );
});

// Everything a benchmark starts (server child, temp files, a throwaway database) is undone here, on success,
// on error and on Ctrl-C alike: a benchmark must never leave a server listening or a database behind.

interface CleanupStep {
  label: string;
  run: () => Promise<void> | void;
  /** Last resort inside process.on("exit"), where nothing asynchronous runs any more. */
  runSync?: () => void;
}

const steps: CleanupStep[] = [];
let installed = false;
let interrupted = false;

/** Registers an undo step; returns a function that runs it now (and forgets it). Steps run newest first. */
export function deferCleanup(step: CleanupStep): () => Promise<void> {
  installSignalHandlers();
  steps.push(step);
  return async () => {
    const index = steps.indexOf(step);
    if (index === -1) return;
    steps.splice(index, 1);
    await runStep(step);
  };
}

export async function runAllCleanup(): Promise<void> {
  while (steps.length > 0) await runStep(steps.pop()!);
}

export function wasInterrupted(): boolean {
  return interrupted;
}

async function runStep(step: CleanupStep): Promise<void> {
  try {
    await step.run();
  } catch (error) {
    console.error(`cleanup "${step.label}" failed:`, error);
  }
}

function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: stopping the benchmark and cleaning up...`);
    void runAllCleanup().finally(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("exit", () => {
    for (const step of steps.reverse()) {
      try {
        step.runSync?.();
      } catch {
        // Exiting anyway; nothing left to report to.
      }
    }
  });
}

// CPU accounting from Linux /proc, to tell where the time of a sign-in goes: the server's main (JavaScript)
// thread, its other threads (argon2 on libuv's pool, V8's GC helpers), the load generator, or other processes.
// Returns undefined elsewhere; the benchmark then prints the rates without the breakdown.
import { readdirSync, readFileSync } from "node:fs";

// USER_HZ: the unit of utime/stime in /proc; 100 on every mainstream Linux build.
const TICK_MS = 10;

export interface ProcessCpuSample {
  /** utime + stime of the whole process, dead threads included. */
  totalMs: number;
  /** The thread whose id is the process id: Node's event loop. */
  mainThreadMs: number;
  /** Thread id → CPU ms, every live thread (main included). */
  threadMs: Map<number, number>;
}

function cpuMsOfStat(path: string): number {
  const line = readFileSync(path, "utf8");
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of proc(5).
  const fields = line.slice(line.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

export function readProcessCpu(pid: number): ProcessCpuSample | undefined {
  try {
    const threadMs = new Map<number, number>();
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        threadMs.set(Number(tid), cpuMsOfStat(`/proc/${pid}/task/${tid}/stat`));
      } catch {
        // The thread ended between listing and reading.
      }
    }
    return {
      totalMs: cpuMsOfStat(`/proc/${pid}/stat`),
      mainThreadMs: cpuMsOfStat(`/proc/${pid}/task/${pid}/stat`),
      threadMs,
    };
  } catch {
    return undefined;
  }
}

/**
 * CPU ms of every process whose command line matches, by pid: e.g. the PostgreSQL backends serving one
 * database (their process title reads "postgres: [CLUSTER: ]USER DATABASE HOST(PORT) STATE").
 */
export function readMatchingProcessesCpu(pattern: RegExp): Map<number, number> | undefined {
  const found = new Map<number, number>();
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    try {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (pattern.test(commandLine)) found.set(Number(pid), cpuMsOfStat(`/proc/${pid}/stat`));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

export interface SystemCpuSample {
  busyMs: number;
  idleMs: number;
}

/** All cores together, from the first line of /proc/stat. */
export function readSystemCpu(): SystemCpuSample | undefined {
  try {
    const first = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const [label, ...values] = first.trim().split(/\s+/);
    if (label !== "cpu") return undefined;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map(Number) as number[];
    return {
      busyMs: (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) * TICK_MS,
      idleMs: (idle! + (iowait ?? 0)) * TICK_MS,
    };
  } catch {
    return undefined;
  }
}

/** This process's CPU (all threads) in ms; works on every platform. */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export interface CpuWindow {
  /** CPU of the watched process (the server, or this process), all threads; undefined off Linux. */
  processMs?: number;
  processMainThreadMs?: number;
  /**
   * CPU ms of each thread of the watched process other than the main one, largest first: libuv's pool
   * threads stand out (each busy with argon2), V8's GC and compiler helpers are the small ones.
   */
  processOtherThreadsMs?: number[];
  /** CPU of the processes matching `alsoWatch` (a database server), not counted in `processMs`. */
  databaseMs?: number;
  /** CPU of this process (the load generator, when another process is watched). */
  ownMs: number;
  /** Busy CPU of the whole machine, every process. */
  machineBusyMs?: number;
  machineCapacityMs?: number;
}

/** Samples now; the returned function samples again and gives the differences. */
export function startCpuWindow(watchedPid: number = process.pid, alsoWatch?: RegExp): () => CpuWindow {
  const database0 = alsoWatch && readMatchingProcessesCpu(alsoWatch);
  const process0 = readProcessCpu(watchedPid);
  const system0 = readSystemCpu();
  const own0 = ownCpuMs();
  return () => {
    const process1 = readProcessCpu(watchedPid);
    const system1 = readSystemCpu();
    const window: CpuWindow = { ownMs: ownCpuMs() - own0 };
    const database1 = alsoWatch && readMatchingProcessesCpu(alsoWatch);
    if (database0 && database1) {
      // A backend started inside the window counts from zero: all its CPU belongs to the window anyway.
      window.databaseMs = [...database1].reduce((sum, [pid, ms]) => sum + ms - (database0.get(pid) ?? 0), 0);
    }
    if (process0 && process1) {
      window.processMs = process1.totalMs - process0.totalMs;
      window.processMainThreadMs = process1.mainThreadMs - process0.mainThreadMs;
      window.processOtherThreadsMs = [...process1.threadMs]
        .filter(([tid]) => tid !== watchedPid)
        .map(([tid, ms]) => ms - (process0.threadMs.get(tid) ?? 0))
        .filter((ms) => ms > 0)
        .sort((a, b) => b - a);
    }
    if (system0 && system1) {
      window.machineBusyMs = system1.busyMs - system0.busyMs;
      window.machineCapacityMs = window.machineBusyMs + (system1.idleMs - system0.idleMs);
    }
    return window;
  };
}

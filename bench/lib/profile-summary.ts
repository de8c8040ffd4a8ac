// Reads a V8 .cpuprofile of the server (node --cpu-prof) and tells where its main thread spent the measured
// window: idle (waiting for argon2 on the pool, which is what we want) or busy, and busy with what.
// Profile timestamps are CLOCK_MONOTONIC microseconds, the same clock as process.hrtime in this process.
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Main-thread ms per operation by area (package, node core, app file, GC, idle). */
  areasMsPerOperation: Record<string, number>;
  lines: string[];
}

export function summarizeProfile(
  path: string,
  input: { window: [bigint, bigint]; operations: number },
): (ProfileSummary & { raw: string }) | undefined {
  let raw: string;
  try {
    raw = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const profile = JSON.parse(raw) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const fromUs = Number(input.window[0] / 1000n);
  const toUs = Number(input.window[1] / 1000n);
  const selfUsByNode = new Map<number, number>();
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i] ?? 0;
    // A sample stands for the interval until the next one.
    const duration = profile.timeDeltas[i + 1] ?? 0;
    if (time < fromUs || time > toUs) continue;
    const id = profile.samples[i]!;
    selfUsByNode.set(id, (selfUsByNode.get(id) ?? 0) + duration);
  }

  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUsByNode) {
    const frame = nodes.get(id)?.callFrame;
    if (!frame) continue;
    totalUs += us;
    const area = areaOf(frame.functionName, frame.url);
    areas.set(area, (areas.get(area) ?? 0) + us);
    if (area === "(idle)") continue;
    const key = `${frame.functionName || "(anonymous)"}  ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const ops = Math.max(1, input.operations);
  const perOp = (us: number) => us / 1000 / ops;
  const idleUs = areas.get("(idle)") ?? 0;
  const lines = [
    `sampled ${(totalUs / 1000).toFixed(0)} ms of the window: main thread busy ${(((totalUs - idleUs) / Math.max(1, totalUs)) * 100).toFixed(1)}%, ` +
      `${perOp(totalUs - idleUs).toFixed(2)} ms busy per sign-in`,
    `by area (ms per sign-in): ${[...areas]
      .filter(([area]) => area !== "(idle)")
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([area, us]) => `${area} ${perOp(us).toFixed(3)}`)
      .join(", ")}`,
    "top functions by self time (ms per sign-in):",
    ...[...functions]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([name, us]) => `  ${perOp(us).toFixed(3).padStart(7)}  ${name}`),
  ];
  return {
    areasMsPerOperation: Object.fromEntries([...areas].map(([area, us]) => [area, perOp(us)])),
    lines,
    raw,
  };
}

function areaOf(functionName: string, url: string): string {
  if (functionName === "(idle)" || functionName === "(garbage collector)" || functionName === "(program)") {
    return functionName;
  }
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith("node:") || url === "") return "node core";
  const app = /\/(src\/.+)$/.exec(url);
  if (app) return app[1]!;
  return "other";
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\//, "")
    .replace(/^.*\/node_modules\//, "")
    .replace(/^.*\/(src\/)/, "$1");
}

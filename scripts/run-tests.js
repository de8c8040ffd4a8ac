#!/usr/bin/env node
// Runs every *.test.ts / *.test.tsx under the given folders with Node's own test runner (Node 20 has no --test globs).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : findTests(path);
    return /\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const folders = process.argv.slice(2);
const files = folders.flatMap(findTests).sort();
if (files.length === 0) {
  console.error(`No test files under ${folders.join(", ")}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...files], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);

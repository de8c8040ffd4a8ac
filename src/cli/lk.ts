// Entry of the `lk` command (bin/lk.js loads it through tsx). Only process wiring here; see run-cli.ts.
import { runCli } from "./run-cli.ts";

// `lk users list | head` closes the pipe early; that is the reader's choice, not a failure worth a stack trace.
let stdoutClosed = false;
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  stdoutClosed = true;
});

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => {
    if (!stdoutClosed) process.stdout.write(`${line}\n`);
  },
  err: (line) => process.stderr.write(`${line}\n`),
});

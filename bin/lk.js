#!/usr/bin/env node
// The `lk` operator command (PRODUCT.md "Operator contract"). The code is TypeScript, run through tsx like the server.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/lk.ts");

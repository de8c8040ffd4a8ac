import { availableParallelism } from "node:os";
import { Algorithm, hash, verify } from "@node-rs/argon2";

export interface Argon2Params {
  memoryKib: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP Password Storage Cheat Sheet, argon2id option 2: 19 MiB, t=2, p=1. */
export const OWASP_ARGON2: Argon2Params = { memoryKib: 19_456, timeCost: 2, parallelism: 1 };

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
  /**
   * Spends the same time as a real verify, for logins that do not exist:
   * an attacker must not learn which logins exist from how fast the answer comes.
   */
  verifyDummy(password: string): Promise<void>;
}

/**
 * Runs at most `max` tasks at once, the rest in arrival order. A slot is handed straight to the next waiter,
 * so a newcomer can never overtake the queue.
 */
export function createLimiter(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async function limit<T>(task: () => Promise<T>): Promise<T> {
    if (active < max) active += 1;
    else await new Promise<void>((resume) => waiting.push(resume));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}

export function createPasswordHasher(
  params: Argon2Params = OWASP_ARGON2,
  options: { concurrency?: number } = {},
): PasswordHasher {
  const argon2 = {
    algorithm: Algorithm.Argon2id,
    memoryCost: params.memoryKib,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
  };
  // One hash per core at a time: libuv's pool would run four 19 MiB hashes on two cores, which only thrashes
  // the caches (measured 4-9% slower per hash in `npm run bench -- sign-in`); the others wait their turn.
  const limit = createLimiter(options.concurrency ?? availableParallelism());
  let dummyHash: Promise<string> | undefined;
  const hashPassword = (password: string) => limit(() => hash(password, argon2));
  const safeVerify = (passwordHash: string, password: string) =>
    limit(async () => {
      try {
        return await verify(passwordHash, password);
      } catch {
        // A malformed stored hash is a failed verification, never a crash of the sign-in request.
        return false;
      }
    });
  return {
    hash: hashPassword,
    verify: safeVerify,
    async verifyDummy(password) {
      dummyHash ??= hashPassword("dummy-password-for-timing-0");
      await safeVerify(await dummyHash, password);
    },
  };
}

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

export function createPasswordHasher(params: Argon2Params = OWASP_ARGON2): PasswordHasher {
  const options = {
    algorithm: Algorithm.Argon2id,
    memoryCost: params.memoryKib,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
  };
  let dummyHash: Promise<string> | undefined;
  const hashPassword = (password: string) => hash(password, options);
  return {
    hash: hashPassword,
    async verify(passwordHash, password) {
      try {
        return await verify(passwordHash, password);
      } catch {
        // A malformed stored hash is a failed verification, never a crash of the sign-in request.
        return false;
      }
    },
    async verifyDummy(password) {
      dummyHash ??= hashPassword("dummy-password-for-timing-0");
      await verify(await dummyHash, password).catch(() => false);
    },
  };
}

import { randomInt } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { Config } from "../config.ts";
import type { DB } from "../db/database.ts";
import type { PasswordHasher } from "./password-hasher.ts";
import { findRecentPasswordHashes } from "./password-history.repository.ts";
import { checkPassword, type PasswordPolicy, type PasswordRule } from "./password-policy.ts";

type Db = Kysely<DB> | Transaction<DB>;

export function policyFromConfig(
  config: Pick<Config, "passwordMinLength" | "passwordMaxLength" | "passwordHistory">,
) {
  return {
    minLength: config.passwordMinLength,
    maxLength: config.passwordMaxLength,
    history: config.passwordHistory,
  };
}

/** Every rule the password breaks for this account, history included (the current password and the ones before it). */
export async function checkNewPassword(
  deps: { db: Db; hasher: PasswordHasher; policy: PasswordPolicy },
  userId: number | undefined,
  password: string,
): Promise<PasswordRule[]> {
  const matchesHistory =
    userId === undefined
      ? undefined
      : async (candidate: string) => {
          const hashes = await findRecentPasswordHashes(deps.db, userId, deps.policy.history);
          const matches = await Promise.all(hashes.map((hash) => deps.hasher.verify(hash, candidate)));
          return matches.some(Boolean);
        };
  return checkPassword(password, deps.policy, matchesHistory);
}

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/** A one-time password that passes the policy: mixed letters and digits, unambiguous characters only. */
export function generateTemporaryPassword(policy: PasswordPolicy): string {
  const length = Math.min(Math.max(16, policy.minLength), policy.maxLength);
  for (;;) {
    const password = Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
    if (/[A-Za-z]/.test(password) && /[0-9]/.test(password)) return password;
  }
}

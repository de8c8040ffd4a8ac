import { randomInt } from "node:crypto";
import type { Kysely } from "kysely";
import { recordAuditEvent } from "../audit/audit.repository.ts";
import type { DB } from "../db/database.ts";
import type { PasswordHasher } from "../passwords/password-hasher.ts";
import { addPasswordToHistory } from "../passwords/password-history.repository.ts";
import type { PasswordPolicy, PasswordRule } from "../passwords/password-policy.ts";
import { checkNewPassword } from "../passwords/passwords.service.ts";
import { DEFAULT_RIGHTS, type Right } from "./rights.ts";
import {
  findEnterpriseById,
  findEnterpriseByName,
  findMerchantByName,
  findUserByLogin,
  insertEnterprise,
  insertMerchant,
  insertUser,
  loginKey,
  replaceUserRights,
} from "./users.repository.ts";
import type { Language, UserRow } from "./users.table.ts";

export interface NewUser {
  login: string;
  email: string;
  password: string;
  temporary: boolean;
  language: Language;
  /** Merchant (and enterprise) by name; created when missing. */
  merchant: string;
  rights?: readonly Right[];
  fullName?: string;
}

export type CreateUserError =
  | { field: "login"; problem: "invalid" | "taken" }
  | { field: "email"; problem: "invalid" }
  | { field: "merchant"; problem: "invalid" }
  | { field: "password"; problem: "policy"; rules: PasswordRule[] };

export type CreateUserResult = { ok: true; user: UserRow } | { ok: false; errors: CreateUserError[] };

const LOGIN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isValidLogin(login: string): boolean {
  return LOGIN_PATTERN.test(login);
}

export function isValidEmail(email: string): boolean {
  return email.length <= 254 && EMAIL_PATTERN.test(email);
}

export interface UserDeps {
  db: Kysely<DB>;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
  now: () => number;
}

/** Creates an active user, its enterprise and merchant when missing; all or nothing. */
export async function createUser(deps: UserDeps, input: NewUser): Promise<CreateUserResult> {
  const errors: CreateUserError[] = [];
  if (!isValidLogin(input.login)) errors.push({ field: "login", problem: "invalid" });
  else if (await findUserByLogin(deps.db, input.login)) errors.push({ field: "login", problem: "taken" });
  if (!isValidEmail(input.email)) errors.push({ field: "email", problem: "invalid" });
  const merchant = input.merchant.trim();
  if (merchant === "" || merchant.length > 200) errors.push({ field: "merchant", problem: "invalid" });
  const rules = await checkNewPassword(deps, undefined, input.password);
  if (rules.length > 0) errors.push({ field: "password", problem: "policy", rules });
  if (errors.length > 0) return { ok: false, errors };

  const passwordHash = await deps.hasher.hash(input.password);
  const now = deps.now();
  const user = await deps.db.transaction().execute(async (trx) => {
    // A known merchant brings its own enterprise; a new name creates both (PRODUCT.md, `lk users add --merchant`).
    const existingMerchant = await findMerchantByName(trx, merchant);
    const enterprise =
      (existingMerchant && (await findEnterpriseById(trx, existingMerchant.enterprise_id))) ||
      (await findEnterpriseByName(trx, merchant)) ||
      (await insertEnterprise(trx, { name: merchant, now }));
    if (!existingMerchant) {
      await insertMerchant(trx, {
        enterpriseId: enterprise.id,
        code: String(randomInt(100_000, 1_000_000)),
        name: merchant,
        currency: "BYN",
        timeZone: "Europe/Minsk",
        now,
      });
    }
    const created = await insertUser(trx, {
      enterprise_id: enterprise.id,
      login: input.login,
      login_key: loginKey(input.login),
      email: input.email,
      full_name: input.fullName ?? "",
      language: input.language,
      status: "active",
      password_hash: passwordHash,
      password_temporary: input.temporary ? 1 : 0,
      password_changed_at: now,
      failed_sign_ins: 0,
      all_merchants: 1,
      created_at: now,
    });
    await addPasswordToHistory(trx, { userId: created.id, passwordHash, now });
    await replaceUserRights(trx, created.id, input.rights ?? DEFAULT_RIGHTS);
    await recordAuditEvent(trx, {
      type: "user.created",
      userId: created.id,
      enterpriseId: enterprise.id,
      login: created.login,
      details: { temporaryPassword: input.temporary },
      now,
    });
    return created;
  });
  return { ok: true, user };
}

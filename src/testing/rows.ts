// Test support: raw rows for repository tests, which must not go through the services they sit under.
import { randomBytes } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../db/database.ts";
import { insertEnterprise, insertUser, loginKey } from "../users/users.repository.ts";
import type { NewUserRow, UserRow } from "../users/users.table.ts";

/** An active user row with a placeholder hash (never verified) in the given enterprise. */
export function testUserValues(enterpriseId: number, login: string): NewUserRow {
  return {
    enterprise_id: enterpriseId,
    login,
    login_key: loginKey(login),
    email: `${login.toLowerCase()}@shop.example`,
    full_name: "Test Person",
    language: "ru",
    status: "active",
    password_hash: "$argon2id$placeholder",
    password_temporary: 0,
    password_changed_at: 1,
    failed_sign_ins: 0,
    all_merchants: 1,
    created_at: 1,
  };
}

/** A user in an enterprise of its own, with a unique login unless one is given. */
export async function insertTestUser(
  db: Kysely<DB> | Transaction<DB>,
  login = `user_${randomBytes(4).toString("hex")}`,
): Promise<UserRow> {
  const enterprise = await insertEnterprise(db, {
    name: `Enterprise ${randomBytes(4).toString("hex")}`,
    now: 1,
  });
  return insertUser(db, testUserValues(enterprise.id, login));
}

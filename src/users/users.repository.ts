import type { Kysely, Transaction } from "kysely";
import type { DB } from "../db/database.ts";
import type { Right } from "./rights.ts";
import type { EnterpriseRow, Language, MerchantRow, NewUserRow, UserRow, UserStatus } from "./users.table.ts";

type Db = Kysely<DB> | Transaction<DB>;

export function loginKey(login: string): string {
  return login.trim().toLowerCase();
}

export async function findEnterpriseByName(db: Db, name: string): Promise<EnterpriseRow | undefined> {
  return db.selectFrom("enterprises").selectAll().where("name", "=", name).executeTakeFirst();
}

export async function findEnterpriseById(db: Db, id: number): Promise<EnterpriseRow | undefined> {
  return db.selectFrom("enterprises").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function insertEnterprise(
  db: Db,
  values: { name: string; now: number },
): Promise<EnterpriseRow> {
  return db
    .insertInto("enterprises")
    .values({ name: values.name, created_at: values.now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findMerchantByName(db: Db, name: string): Promise<MerchantRow | undefined> {
  return db.selectFrom("merchants").selectAll().where("name", "=", name).executeTakeFirst();
}

export async function insertMerchant(
  db: Db,
  values: {
    enterpriseId: number;
    code: string;
    name: string;
    currency: string;
    timeZone: string;
    now: number;
  },
): Promise<MerchantRow> {
  return db
    .insertInto("merchants")
    .values({
      enterprise_id: values.enterpriseId,
      merchant_code: values.code,
      name: values.name,
      currency: values.currency,
      time_zone: values.timeZone,
      created_at: values.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function countMerchants(db: Db): Promise<number> {
  const row = await db
    .selectFrom("merchants")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** The merchants a user may see: all of the enterprise's, or only those granted. */
export async function findVisibleMerchants(
  db: Db,
  user: { userId: number; enterpriseId: number; allMerchants: boolean },
) {
  let query = db
    .selectFrom("merchants")
    .selectAll("merchants")
    .where("merchants.enterprise_id", "=", user.enterpriseId);
  if (!user.allMerchants) {
    query = query
      .innerJoin("user_merchants", "user_merchants.merchant_id", "merchants.id")
      .where("user_merchants.user_id", "=", user.userId);
  }
  return query.orderBy("merchants.name").execute();
}

export async function insertUser(db: Db, values: NewUserRow): Promise<UserRow> {
  return db.insertInto("users").values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findUserByLogin(db: Db, login: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("login_key", "=", loginKey(login)).executeTakeFirst();
}

/** Names of every enterprise (`lk users add` without --merchant needs to know how many exist). */
export async function listEnterpriseNames(db: Db): Promise<string[]> {
  const rows = await db.selectFrom("enterprises").select("name").orderBy("name").execute();
  return rows.map((row) => row.name);
}

export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

export interface UserListing {
  login: string;
  email: string;
  language: string;
  status: UserStatus;
  enterprise: string;
  locked_until: number | null;
  password_temporary: number;
  rights: string[];
}

export async function listUsers(db: Db): Promise<UserListing[]> {
  const users = await db
    .selectFrom("users")
    .innerJoin("enterprises", "enterprises.id", "users.enterprise_id")
    .select([
      "users.id",
      "users.login",
      "users.email",
      "users.language",
      "users.status",
      "users.locked_until",
      "users.password_temporary",
      "enterprises.name as enterprise",
    ])
    .orderBy("users.login_key")
    .execute();
  const rights = await db.selectFrom("user_rights").selectAll().orderBy("right_id").execute();
  return users.map(({ id, ...user }) => ({
    ...user,
    rights: rights.filter((r) => r.user_id === id).map((r) => r.right_id),
  }));
}

export async function setUserStatus(db: Db, userId: number, status: UserStatus): Promise<void> {
  await db.updateTable("users").set({ status }).where("id", "=", userId).execute();
}

export async function replaceUserRights(db: Db, userId: number, rights: readonly Right[]): Promise<void> {
  await db.deleteFrom("user_rights").where("user_id", "=", userId).execute();
  if (rights.length === 0) return;
  await db
    .insertInto("user_rights")
    .values(rights.map((right_id) => ({ user_id: userId, right_id })))
    .execute();
}

export async function findUserRights(db: Db, userId: number): Promise<string[]> {
  const rows = await db.selectFrom("user_rights").select("right_id").where("user_id", "=", userId).execute();
  return rows.map((row) => row.right_id).sort();
}

export async function setUserPassword(
  db: Db,
  change: { userId: number; passwordHash: string; temporary: boolean; now: number },
): Promise<void> {
  await db
    .updateTable("users")
    .set({
      password_hash: change.passwordHash,
      password_temporary: change.temporary ? 1 : 0,
      password_changed_at: change.now,
    })
    .where("id", "=", change.userId)
    .execute();
}

/** Counts one more failed sign-in atomically and returns the new count. */
export async function incrementFailedSignIns(db: Db, userId: number): Promise<number> {
  const row = await db
    .updateTable("users")
    .set((eb) => ({ failed_sign_ins: eb("failed_sign_ins", "+", 1) }))
    .where("id", "=", userId)
    .returning("failed_sign_ins")
    .executeTakeFirst();
  return row?.failed_sign_ins ?? 0;
}

/**
 * Starts a lock when the counter has reached the threshold. Returns true only for the one request that
 * started it, so concurrent failures send a single lockout mail.
 */
export async function lockUserIfOverThreshold(
  db: Db,
  lock: { userId: number; threshold: number; lockedUntil: number },
): Promise<boolean> {
  const result = await db
    .updateTable("users")
    .set({ locked_until: lock.lockedUntil, failed_sign_ins: 0 })
    .where("id", "=", lock.userId)
    .where("failed_sign_ins", ">=", lock.threshold)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function recordSuccessfulSignIn(db: Db, userId: number, now: number): Promise<void> {
  await db
    .updateTable("users")
    .set({ failed_sign_ins: 0, locked_until: null, last_sign_in_at: now })
    .where("id", "=", userId)
    .execute();
}

export async function unlockUser(db: Db, userId: number): Promise<void> {
  await db
    .updateTable("users")
    .set({ failed_sign_ins: 0, locked_until: null })
    .where("id", "=", userId)
    .execute();
}

export async function setUserLanguage(db: Db, userId: number, language: Language): Promise<void> {
  await db.updateTable("users").set({ language }).where("id", "=", userId).execute();
}

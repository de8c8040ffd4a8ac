import type { Generated, Insertable, Selectable, Updateable } from "kysely";

/** Timestamps are epoch milliseconds in both dialects: one code path, exact comparisons, no time-zone drift. */
export type EpochMs = number;

export interface EnterprisesTable {
  id: Generated<number>;
  name: string;
  created_at: EpochMs;
}

export interface MerchantsTable {
  id: Generated<number>;
  enterprise_id: number;
  /** The processor's merchant ID, shown to the merchant in reports. */
  merchant_code: string;
  name: string;
  currency: string;
  time_zone: string;
  created_at: EpochMs;
}

export type UserStatus = "active" | "blocked";
export type Language = "ru" | "en";

export interface UsersTable {
  id: Generated<number>;
  enterprise_id: number;
  login: string;
  /** Lower-cased login: logins are unique case-insensitively (PRODUCT.md). */
  login_key: string;
  email: string;
  full_name: string;
  language: Language;
  status: UserStatus;
  password_hash: string;
  /** 1 when someone else issued the password: it must be changed at the next sign-in. */
  password_temporary: number;
  password_changed_at: EpochMs;
  failed_sign_ins: number;
  locked_until: EpochMs | null;
  last_sign_in_at: EpochMs | null;
  /** 1: sees every merchant of the enterprise (the default); 0: only those in user_merchants. */
  all_merchants: number;
  created_at: EpochMs;
}

export interface UserRightsTable {
  user_id: number;
  right_id: string;
}

export interface UserMerchantsTable {
  user_id: number;
  merchant_id: number;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type EnterpriseRow = Selectable<EnterprisesTable>;
export type MerchantRow = Selectable<MerchantsTable>;

import type { Right } from "../users/rights.ts";
import type { Language } from "../users/users.table.ts";

/** What a request knows about the person signed in; built once per request from the session. */
export interface CurrentUser {
  id: number;
  login: string;
  fullName: string;
  email: string;
  language: Language;
  enterpriseId: number;
  enterpriseName: string;
  rights: ReadonlySet<Right>;
  passwordTemporary: boolean;
  allMerchants: boolean;
}

export function hasRight(user: CurrentUser, right: Right): boolean {
  return user.rights.has(right);
}

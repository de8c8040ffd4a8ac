// The rights of PRODUCT.md; identifiers are part of the operator contract (`lk users add --rights`, `lk rights list`).
export const RIGHTS = [
  {
    id: "change-own-password",
    description: "Change one's own password in Settings and through password recovery (on by default)",
  },
  { id: "manage-users", description: "Administration: manage the users of one's own enterprise" },
  { id: "export", description: "Download report files and order lists" },
  { id: "view-audit-log", description: "View the event log (audit log) of one's own enterprise" },
  { id: "confirm-orders", description: "Confirm (charge) delayed two-stage payments" },
  { id: "cancel-orders", description: "Cancel and refund orders" },
] as const;

export type Right = (typeof RIGHTS)[number]["id"];

export const ALL_RIGHTS: Right[] = RIGHTS.map((right) => right.id);
export const DEFAULT_RIGHTS: Right[] = ["change-own-password"];

export function isRight(value: string): value is Right {
  return (ALL_RIGHTS as string[]).includes(value);
}

import type { AuditEventsTable } from "../audit/audit.table.ts";
import type { SessionsTable } from "../auth/sessions.table.ts";
import type { MailQueueTable } from "../mail/mail-queue.table.ts";
import type { PasswordHistoryTable } from "../passwords/password-history.table.ts";
import type { RateLimitsTable } from "../rate-limit/rate-limits.table.ts";
import type { ResetLinksTable } from "../recovery/reset-links.table.ts";
import type {
  EnterprisesTable,
  MerchantsTable,
  UserMerchantsTable,
  UserRightsTable,
  UsersTable,
} from "../users/users.table.ts";

export interface DB {
  enterprises: EnterprisesTable;
  merchants: MerchantsTable;
  users: UsersTable;
  user_rights: UserRightsTable;
  user_merchants: UserMerchantsTable;
  password_history: PasswordHistoryTable;
  sessions: SessionsTable;
  audit_events: AuditEventsTable;
  mail_queue: MailQueueTable;
  reset_links: ResetLinksTable;
  rate_limits: RateLimitsTable;
}

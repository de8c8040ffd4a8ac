import type { Generated, Selectable } from "kysely";
import type { EpochMs } from "../users/users.table.ts";

/** Outgoing mail, written in the same transaction as what it announces, so a promised mail is never lost. */
export interface MailQueueTable {
  id: Generated<number>;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  /** Stable Message-ID: a resend after a crash mid-delivery can be recognised as the same mail. */
  message_id: string;
  created_at: EpochMs;
  attempts: number;
  next_attempt_at: EpochMs;
  /** A sender's lease: another sender leaves the row alone until it expires. */
  leased_until: EpochMs | null;
  sent_at: EpochMs | null;
  last_error: string | null;
}

export type MailRow = Selectable<MailQueueTable>;

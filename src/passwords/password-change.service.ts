import type { Transaction } from "kysely";
import type { AppContext } from "../app-context.ts";
import { type AuditEventType, recordAuditEvent } from "../audit/audit.repository.ts";
import { deleteSessionsOfUser } from "../auth/sessions.repository.ts";
import type { DB } from "../db/database.ts";
import { enqueueMail } from "../mail/mail-queue.repository.ts";
import { composePasswordChangedMail, newMessageId } from "../mail/mail-templates.tsx";
import { revokeResetLinksOfUser } from "../recovery/reset-links.repository.ts";
import { setUserPassword, unlockUser } from "../users/users.repository.ts";
import type { UserRow } from "../users/users.table.ts";
import { addPasswordToHistory } from "./password-history.repository.ts";
import type { PasswordRule } from "./password-policy.ts";
import { checkNewPassword, policyFromConfig } from "./passwords.service.ts";

/** Every reason a new password is refused: the seed's rules plus the form's own checks. */
export type PasswordProblem = PasswordRule | "required" | "mismatch" | "currentWrong";

/** Checks a new password and its repetition against the policy and the account's history. */
export async function checkPasswordForm(
  ctx: AppContext,
  form: { userId: number; password: string; repeat: string },
): Promise<PasswordProblem[]> {
  if (form.password === "" || form.repeat === "") return ["required"];
  const problems: PasswordProblem[] = await checkNewPassword(
    { db: ctx.db, hasher: ctx.hasher, policy: policyFromConfig(ctx.config) },
    form.userId,
    form.password,
  );
  if (form.password !== form.repeat) problems.push("mismatch");
  return problems;
}

export type PasswordChangeVia = "reset-link" | "settings" | "forced-change";

/**
 * Stores a new password inside the caller's transaction: hash, history entry, other sessions ended,
 * open reset links voided, lockout lifted, an audit event and the "password changed" mail queued.
 */
export async function applyPasswordChange(
  trx: Transaction<DB>,
  ctx: AppContext,
  change: {
    user: UserRow;
    passwordHash: string;
    via: PasswordChangeVia;
    ip: string;
    keepSessionIdHash?: string;
  },
): Promise<void> {
  const now = ctx.now();
  const { user } = change;
  await setUserPassword(trx, { userId: user.id, passwordHash: change.passwordHash, temporary: false, now });
  await addPasswordToHistory(trx, { userId: user.id, passwordHash: change.passwordHash, now });
  await revokeResetLinksOfUser(trx, user.id, now);
  const endedSessions = await deleteSessionsOfUser(trx, user.id, change.keepSessionIdHash);
  await unlockUser(trx, user.id);
  const type: AuditEventType = "password.changed";
  await recordAuditEvent(trx, {
    type,
    userId: user.id,
    enterpriseId: user.enterprise_id,
    login: user.login,
    ip: change.ip,
    details: { via: change.via, endedSessions },
    now,
  });
  const mail = composePasswordChangedMail(
    { language: user.language, login: user.login, fullName: user.full_name },
    { at: now, supportEmail: ctx.config.supportEmail },
  );
  await enqueueMail(trx, {
    recipient: user.email,
    ...mail,
    messageId: newMessageId(ctx.config.mailFrom),
    now,
  });
}

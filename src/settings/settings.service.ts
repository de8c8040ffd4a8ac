import type { AppContext } from "../app-context.ts";
import { recordAuditEvent } from "../audit/audit.repository.ts";
import { countWrongPassword } from "../auth/auth.service.ts";
import type { CurrentUser } from "../auth/current-user.ts";
import { deleteSessionsOfUser } from "../auth/sessions.repository.ts";
import {
  applyPasswordChange,
  checkPasswordForm,
  type PasswordProblem,
} from "../passwords/password-change.service.ts";
import { findUserById, setUserLanguage } from "../users/users.repository.ts";
import type { Language } from "../users/users.table.ts";

export type PasswordChangeResult =
  | { outcome: "changed" }
  | { outcome: "rejected"; problems: PasswordProblem[] }
  | { outcome: "no-right" }
  /** Too many wrong current passwords: the account is locked and every session, this one too, has ended. */
  | { outcome: "locked-out" };

/**
 * Settings → password change. The current password is asked again (a walked-away session must not be
 * enough), a wrong one counts toward the lockout like a failed sign-in, and every other session ends.
 */
export async function changeOwnPassword(
  ctx: AppContext,
  change: {
    user: CurrentUser;
    sessionIdHash: string;
    current: string;
    password: string;
    repeat: string;
    ip: string;
  },
): Promise<PasswordChangeResult> {
  if (!change.user.rights.has("change-own-password")) return { outcome: "no-right" };
  const user = await findUserById(ctx.db, change.user.id);
  if (!user) return { outcome: "no-right" };
  if (change.current === "") return { outcome: "rejected", problems: ["required"] };
  if (!(await ctx.hasher.verify(user.password_hash, change.current))) {
    const now = ctx.now();
    const locked = await ctx.db.transaction().execute(async (trx) => {
      await recordAuditEvent(trx, {
        type: "password.change-failed",
        userId: user.id,
        enterpriseId: user.enterprise_id,
        login: user.login,
        ip: change.ip,
        details: { reason: "current-password-wrong" },
        now,
      });
      const lockStarted = await countWrongPassword(trx, ctx, { user, ip: change.ip });
      if (lockStarted) await deleteSessionsOfUser(trx, user.id);
      return lockStarted;
    });
    if (locked) {
      ctx.mailQueued();
      return { outcome: "locked-out" };
    }
    return { outcome: "rejected", problems: ["currentWrong"] };
  }
  return storeNewPassword(ctx, { ...change, via: "settings" });
}

/** First sign-in with a password someone else issued: the person sets their own before anything else. */
export async function replaceTemporaryPassword(
  ctx: AppContext,
  change: { user: CurrentUser; sessionIdHash: string; password: string; repeat: string; ip: string },
): Promise<PasswordChangeResult> {
  return storeNewPassword(ctx, { ...change, via: "forced-change" });
}

async function storeNewPassword(
  ctx: AppContext,
  change: {
    user: CurrentUser;
    sessionIdHash: string;
    password: string;
    repeat: string;
    ip: string;
    via: "settings" | "forced-change";
  },
): Promise<PasswordChangeResult> {
  const problems = await checkPasswordForm(ctx, {
    userId: change.user.id,
    password: change.password,
    repeat: change.repeat,
  });
  if (problems.length > 0) return { outcome: "rejected", problems };
  const passwordHash = await ctx.hasher.hash(change.password);
  await ctx.db.transaction().execute(async (trx) => {
    const user = await findUserById(trx, change.user.id);
    if (!user) throw new Error("user vanished during a password change");
    await applyPasswordChange(trx, ctx, {
      user,
      passwordHash,
      via: change.via,
      ip: change.ip,
      keepSessionIdHash: change.sessionIdHash,
    });
  });
  ctx.mailQueued();
  return { outcome: "changed" };
}

/** The language of the user's pages and mails (PRODUCT.md: a user setting, never the browser's). */
export async function changeLanguage(
  ctx: AppContext,
  change: { user: CurrentUser; language: Language; ip: string },
): Promise<void> {
  if (change.user.language === change.language) return;
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await setUserLanguage(trx, change.user.id, change.language);
    await recordAuditEvent(trx, {
      type: "user.language-changed",
      userId: change.user.id,
      enterpriseId: change.user.enterpriseId,
      login: change.user.login,
      ip: change.ip,
      details: { from: change.user.language, to: change.language },
      now,
    });
  });
}

import type { AppContext } from "../app-context.ts";
import { recordAuditEvent } from "../audit/audit.repository.ts";
import { hashToken, randomToken } from "../auth/tokens.ts";
import { enqueueMail } from "../mail/mail-queue.repository.ts";
import { composeResetMail, newMessageId } from "../mail/mail-templates.tsx";
import {
  applyPasswordChange,
  checkPasswordForm,
  type PasswordProblem,
} from "../passwords/password-change.service.ts";
import { hitRateLimit } from "../rate-limit/rate-limits.repository.ts";
import { findUserById, findUserByLogin, findUserRights } from "../users/users.repository.ts";
import type { Language, UserRow } from "../users/users.table.ts";
import {
  consumeResetLink,
  findResetLink,
  insertResetLink,
  revokeResetLinksOfUser,
} from "./reset-links.repository.ts";

export type RecoveryRequestResult =
  /** Seed: «На ваш email отправлена ссылка для восстановления пароля.» */
  | { outcome: "sent" }
  /** Seed: «Такой пользователь не существует или неверно указан e-mail.» */
  | { outcome: "refused" }
  | { outcome: "incomplete" };

type RefusalReason = "unknown-login" | "email-mismatch" | "no-right" | "blocked";

async function refusalReason(
  ctx: AppContext,
  user: UserRow | undefined,
  email: string,
): Promise<RefusalReason | undefined> {
  if (!user) return "unknown-login";
  if (user.email.trim().toLowerCase() !== email.trim().toLowerCase()) return "email-mismatch";
  if (user.status !== "active") return "blocked";
  // Seed: recovery fails when «у пользователя отсутствуют права на изменение собственного пароля».
  const rights = await findUserRights(ctx.db, user.id);
  if (!rights.includes("change-own-password")) return "no-right";
  return undefined;
}

/**
 * «Забыли пароль?»: the seed says which answer to give, so the page tells an unknown login apart
 * (docs/decisions/002). What keeps that safe: per-account and per-IP limits on mails, an audit trail, and
 * the mail only queued here, never sent inside the request, so both answers take the same time.
 */
export async function requestRecovery(
  ctx: AppContext,
  request: { login: string; email: string; ip: string },
): Promise<RecoveryRequestResult> {
  const { config } = ctx;
  if (request.login.trim() === "" || request.email.trim() === "") return { outcome: "incomplete" };
  const now = ctx.now();
  const user = await findUserByLogin(ctx.db, request.login);
  const refusal = await refusalReason(ctx, user, request.email);
  const base = { login: request.login.slice(0, 200), ip: request.ip, now };

  let queued = false;
  await ctx.db.transaction().execute(async (trx) => {
    const perIp = await hitRateLimit(trx, {
      bucket: `recovery:ip:${request.ip}`,
      windowMs: config.recoveryWindowMs,
      now,
    });
    if (refusal || !user) {
      await recordAuditEvent(trx, {
        ...base,
        type: "recovery.refused",
        userId: user?.id,
        enterpriseId: user?.enterprise_id,
        details: { reason: refusal ?? "unknown-login" },
      });
      return;
    }
    const perAccount = await hitRateLimit(trx, {
      bucket: `recovery:user:${user.id}`,
      windowMs: config.recoveryWindowMs,
      now,
    });
    if (perAccount.hits > config.recoveryAccountLimit || perIp.hits > config.recoveryIpLimit) {
      // The answer stays the seed's; only the mail is withheld, so a flood cannot fill the owner's mailbox.
      await recordAuditEvent(trx, {
        ...base,
        type: "recovery.rate-limited",
        userId: user.id,
        enterpriseId: user.enterprise_id,
        details: { accountRequests: perAccount.hits, ipRequests: perIp.hits },
      });
      return;
    }
    const token = randomToken();
    await revokeResetLinksOfUser(trx, user.id, now);
    await insertResetLink(trx, {
      userId: user.id,
      tokenHash: hashToken(token),
      now,
      expiresAt: now + config.resetLinkTtlMs,
    });
    const mail = composeResetMail(
      { language: user.language, login: user.login, fullName: user.full_name },
      // Built from LK_PUBLIC_URL, never from the request's Host header (a forged Host would steal the token).
      { url: `${config.publicUrl}/recovery/reset/${token}`, ttlMs: config.resetLinkTtlMs },
    );
    await enqueueMail(trx, { recipient: user.email, ...mail, messageId: newMessageId(config.mailFrom), now });
    await recordAuditEvent(trx, {
      ...base,
      type: "recovery.requested",
      userId: user.id,
      enterpriseId: user.enterprise_id,
    });
    queued = true;
  });
  if (queued) ctx.mailQueued();
  return refusal ? { outcome: "refused" } : { outcome: "sent" };
}

export interface OpenResetLink {
  linkId: number;
  user: UserRow;
}

/** The link's account if the link can still be used: not expired, not used, not superseded, account still entitled. */
export async function findOpenResetLink(ctx: AppContext, token: string): Promise<OpenResetLink | undefined> {
  if (!/^[\w-]{43}$/.test(token)) return undefined;
  const link = await findResetLink(ctx.db, hashToken(token));
  if (!link || link.used_at !== null || link.revoked_at !== null || link.expires_at <= ctx.now())
    return undefined;
  const user = await findUserById(ctx.db, link.user_id);
  if (!user || (await refusalReason(ctx, user, user.email))) return undefined;
  return { linkId: link.id, user };
}

export type ResetResult =
  | { outcome: "changed"; language: Language }
  | { outcome: "invalid-link" }
  | { outcome: "rejected"; problems: PasswordProblem[]; login: string; language: Language };

/** Sets the new password from a mailed link: all or nothing, and the link works once. */
export async function resetPassword(
  ctx: AppContext,
  reset: { token: string; password: string; repeat: string; ip: string },
): Promise<ResetResult> {
  const open = await findOpenResetLink(ctx, reset.token);
  if (!open) return { outcome: "invalid-link" };
  const problems = await checkPasswordForm(ctx, {
    userId: open.user.id,
    password: reset.password,
    repeat: reset.repeat,
  });
  if (problems.length > 0)
    return { outcome: "rejected", problems, login: open.user.login, language: open.user.language };
  const passwordHash = await ctx.hasher.hash(reset.password);
  const changed = await ctx.db.transaction().execute(async (trx) => {
    if (!(await consumeResetLink(trx, { id: open.linkId, now: ctx.now() }))) return false;
    await applyPasswordChange(trx, ctx, { user: open.user, passwordHash, via: "reset-link", ip: reset.ip });
    return true;
  });
  if (!changed) return { outcome: "invalid-link" };
  ctx.mailQueued();
  return { outcome: "changed", language: open.user.language };
}

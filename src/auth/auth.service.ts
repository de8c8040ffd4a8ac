import type { Transaction } from "kysely";
import type { AppContext } from "../app-context.ts";
import { recordAuditEvent } from "../audit/audit.repository.ts";
import type { DB } from "../db/database.ts";
import { enqueueMail } from "../mail/mail-queue.repository.ts";
import { composeLockoutMail, newMessageId } from "../mail/mail-templates.tsx";
import { hitRateLimit, peekRateLimit } from "../rate-limit/rate-limits.repository.ts";
import {
  findUserByLogin,
  incrementFailedSignIns,
  lockUserIfOverThreshold,
  recordSuccessfulSignIn,
} from "../users/users.repository.ts";
import type { UserRow } from "../users/users.table.ts";
import { deleteSession } from "./sessions.repository.ts";
import { type NewSession, startSession } from "./sessions.service.ts";

export interface SignInAttempt {
  login: string;
  password: string;
  ip: string;
  userAgent: string;
  /** The session the browser had before signing in, if any: it is ended, never reused. */
  previousSessionIdHash?: string;
}

export type SignInResult =
  | { outcome: "signed-in"; session: NewSession; passwordTemporary: boolean }
  /** Seed: «Извините, пользователь с такими логином и паролем не зарегистрирован в системе». */
  | { outcome: "rejected" }
  | { outcome: "throttled"; retryAfterMs: number }
  | { outcome: "incomplete" };

type FailureReason = "unknown-login" | "wrong-password" | "locked" | "blocked";

const ipBucket = (ip: string) => `sign-in-failures:ip:${ip}`;

/**
 * Signs a person in. Unknown login, wrong password, blocked and locked accounts all end the same way,
 * after the same argon2id work, so neither the answer nor its timing tells which logins exist.
 */
export async function signIn(ctx: AppContext, attempt: SignInAttempt): Promise<SignInResult> {
  const { db, config, hasher } = ctx;
  if (attempt.login.trim() === "" || attempt.password === "") return { outcome: "incomplete" };
  const now = ctx.now();
  const window = { bucket: ipBucket(attempt.ip), windowMs: config.ipFailureWindowMs, now };
  const ipFailures = await peekRateLimit(db, window);
  if (ipFailures.hits >= config.ipFailureLimit) {
    await recordAuditEvent(db, { type: "sign-in.throttled", login: attempt.login, ip: attempt.ip, now });
    return { outcome: "throttled", retryAfterMs: Math.max(1000, ipFailures.resetsAt - now) };
  }

  const user = await findUserByLogin(db, attempt.login);
  if (!user) {
    await hasher.verifyDummy(attempt.password);
    return recordFailure(ctx, attempt, { reason: "unknown-login" });
  }
  const passwordMatches = await hasher.verify(user.password_hash, attempt.password);
  if (user.locked_until !== null && user.locked_until > now) {
    return recordFailure(ctx, attempt, { reason: "locked", user });
  }
  if (!passwordMatches) return recordFailure(ctx, attempt, { reason: "wrong-password", user });
  if (user.status !== "active") return recordFailure(ctx, attempt, { reason: "blocked", user });

  const session = await db.transaction().execute(async (trx) => {
    if (attempt.previousSessionIdHash) await deleteSession(trx, attempt.previousSessionIdHash);
    await recordSuccessfulSignIn(trx, user.id, now);
    await recordAuditEvent(trx, {
      type: "sign-in.succeeded",
      userId: user.id,
      enterpriseId: user.enterprise_id,
      login: user.login,
      ip: attempt.ip,
      now,
    });
    return startSession(trx, { userId: user.id, ip: attempt.ip, userAgent: attempt.userAgent, now });
  });
  return { outcome: "signed-in", session, passwordTemporary: user.password_temporary === 1 };
}

async function recordFailure(
  ctx: AppContext,
  attempt: SignInAttempt,
  failure: { reason: FailureReason; user?: UserRow },
): Promise<SignInResult> {
  const { db, config } = ctx;
  const now = ctx.now();
  const { user, reason } = failure;
  let lockStarted = false;
  await db.transaction().execute(async (trx) => {
    await hitRateLimit(trx, { bucket: ipBucket(attempt.ip), windowMs: config.ipFailureWindowMs, now });
    await recordAuditEvent(trx, {
      type: "sign-in.failed",
      userId: user?.id,
      enterpriseId: user?.enterprise_id,
      login: attempt.login.slice(0, 200),
      ip: attempt.ip,
      details: { reason },
      now,
    });
    if (user && reason === "wrong-password")
      lockStarted = await countWrongPassword(trx, ctx, { user, ip: attempt.ip });
  });
  if (lockStarted) ctx.mailQueued();
  return { outcome: "rejected" };
}

/**
 * PCI DSS 8.3.4: consecutive wrong passwords lock the account for a while (Keycloak's temporary lockout).
 * Counts one wrong password (at sign-in or in Settings) inside the caller's transaction; when the count reaches
 * the threshold, starts the lock, audits it and queues the owner's mail. Returns true if a lock started.
 */
export async function countWrongPassword(
  trx: Transaction<DB>,
  ctx: AppContext,
  wrong: { user: UserRow; ip: string },
): Promise<boolean> {
  const { config } = ctx;
  const { user } = wrong;
  const now = ctx.now();
  const failures = await incrementFailedSignIns(trx, user.id);
  if (failures < config.lockoutThreshold) return false;
  const lockedUntil = now + config.lockoutDurationMs;
  const started = await lockUserIfOverThreshold(trx, {
    userId: user.id,
    threshold: config.lockoutThreshold,
    lockedUntil,
  });
  if (!started) return false;
  await recordAuditEvent(trx, {
    type: "account.locked",
    userId: user.id,
    enterpriseId: user.enterprise_id,
    login: user.login,
    ip: wrong.ip,
    details: { failures, lockedUntil },
    now,
  });
  const mail = composeLockoutMail(
    { language: user.language, login: user.login, fullName: user.full_name },
    { failures, until: lockedUntil, durationMs: config.lockoutDurationMs, supportEmail: config.supportEmail },
  );
  await enqueueMail(trx, { recipient: user.email, ...mail, messageId: newMessageId(config.mailFrom), now });
  return true;
}

export async function signOut(ctx: AppContext, session: { idHash: string; userId: number; ip: string }) {
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await deleteSession(trx, session.idHash);
    await recordAuditEvent(trx, { type: "sign-out", userId: session.userId, ip: session.ip, now });
  });
}

import type { Kysely, Transaction } from "kysely";
import type { DB } from "../db/database.ts";
import { deleteSession, findSession, insertSession, touchSession } from "./sessions.repository.ts";
import type { SessionRow } from "./sessions.table.ts";
import { hashToken, randomToken } from "./tokens.ts";

export interface SessionLimits {
  idleMs: number;
  maxMs: number;
}

export interface NewSession {
  /** Goes into the cookie only; the database has its hash. */
  cookieValue: string;
  idHash: string;
  csrfToken: string;
}

/** A brand-new session id at every sign-in: an id planted before sign-in is never promoted (no fixation). */
export async function startSession(
  db: Kysely<DB> | Transaction<DB>,
  start: { userId: number; ip: string; userAgent: string; now: number },
): Promise<NewSession> {
  const cookieValue = randomToken();
  const idHash = hashToken(cookieValue);
  const csrfToken = randomToken();
  await insertSession(db, {
    id_hash: idHash,
    user_id: start.userId,
    csrf_token: csrfToken,
    created_at: start.now,
    last_seen_at: start.now,
    ip: start.ip,
    user_agent: start.userAgent.slice(0, 512),
  });
  return { cookieValue, idHash, csrfToken };
}

export type SessionLookup =
  | { status: "valid"; session: SessionRow }
  | { status: "expired"; session: SessionRow }
  | { status: "none" };

// Writing last_seen_at on every request would turn each page view into a write; 30 seconds of slack is
// far below the 15-minute idle limit.
const TOUCH_INTERVAL_MS = 30_000;

export async function resolveSession(
  db: Kysely<DB>,
  lookup: { cookieValue: string | undefined; now: number; limits: SessionLimits },
): Promise<SessionLookup> {
  if (!lookup.cookieValue) return { status: "none" };
  const session = await findSession(db, hashToken(lookup.cookieValue));
  if (!session) return { status: "none" };
  const idle = lookup.now - session.last_seen_at > lookup.limits.idleMs;
  const tooOld = lookup.now - session.created_at > lookup.limits.maxMs;
  if (idle || tooOld) {
    await deleteSession(db, session.id_hash);
    return { status: "expired", session };
  }
  if (lookup.now - session.last_seen_at >= TOUCH_INTERVAL_MS)
    await touchSession(db, session.id_hash, lookup.now);
  return { status: "valid", session };
}

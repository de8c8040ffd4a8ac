import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../app-context.ts";
import { recordAuditEvent } from "../audit/audit.repository.ts";
import { isLanguage, type Language } from "../i18n/i18n.ts";
import { isRight } from "../users/rights.ts";
import { findEnterpriseById, findUserById, findUserRights } from "../users/users.repository.ts";
import type { PageContext } from "../web/layout.tsx";
import { cookieNames, secretCookieOptions } from "./cookies.ts";
import type { CurrentUser } from "./current-user.ts";
import { deleteSession } from "./sessions.repository.ts";
import { resolveSession } from "./sessions.service.ts";
import { randomToken } from "./tokens.ts";

export interface RequestState {
  language: Language;
  user?: CurrentUser;
  sessionIdHash?: string;
  /** The token forms must echo: the session's once signed in, the anonymous cookie's before. */
  csrfToken: string;
  /** The anonymous CSRF cookie's value; accepted too, e.g. a sign-in form opened before another tab signed in. */
  anonymousCsrfToken?: string;
  sessionExpired: boolean;
}

declare module "fastify" {
  interface FastifyRequest {
    lk: RequestState;
  }
}

export function pageContext(request: FastifyRequest, mode: AppContext["config"]["mode"]): PageContext {
  // lk is missing only when the request failed before its state was resolved (e.g. the database is down).
  const state: Partial<RequestState> = request.lk ?? {};
  return {
    language: state.language ?? "ru",
    mode,
    csrfToken: state.csrfToken ?? "",
    user: state.user,
    path: request.url.split("?")[0] ?? "/",
    url: request.url,
  };
}

async function loadCurrentUser(ctx: AppContext, userId: number): Promise<CurrentUser | undefined> {
  const user = await findUserById(ctx.db, userId);
  if (user?.status !== "active") return undefined;
  const [enterprise, rights] = await Promise.all([
    findEnterpriseById(ctx.db, user.enterprise_id),
    findUserRights(ctx.db, user.id),
  ]);
  return {
    id: user.id,
    login: user.login,
    fullName: user.full_name,
    email: user.email,
    language: user.language,
    enterpriseId: user.enterprise_id,
    enterpriseName: enterprise?.name ?? "",
    rights: new Set(rights.filter(isRight)),
    passwordTemporary: user.password_temporary === 1,
    allMerchants: user.all_merchants === 1,
  };
}

/** Resolves session, user, language and CSRF token once per request, before any route runs. */
export function registerRequestState(app: FastifyInstance, ctx: AppContext): void {
  const names = cookieNames(ctx.config);
  app.decorateRequest("lk", null as unknown as RequestState);
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const languageCookie = request.cookies[names.language];
    const state: RequestState = {
      language: isLanguage(languageCookie) ? languageCookie : "ru",
      csrfToken: "",
      sessionExpired: false,
    };
    request.lk = state;
    if (request.url.startsWith("/assets/") || request.url === "/healthz") return;

    const now = ctx.now();
    const lookup = await resolveSession(ctx.db, {
      cookieValue: request.cookies[names.session],
      now,
      limits: { idleMs: ctx.config.sessionIdleMs, maxMs: ctx.config.sessionMaxMs },
    });
    if (lookup.status === "expired") {
      state.sessionExpired = true;
      reply.clearCookie(names.session, secretCookieOptions(ctx.config));
      await recordAuditEvent(ctx.db, {
        type: "session.expired",
        userId: lookup.session.user_id,
        ip: request.ip,
        now,
      });
    }
    if (lookup.status === "valid") {
      const user = await loadCurrentUser(ctx, lookup.session.user_id);
      if (user) {
        state.user = user;
        state.language = user.language;
        state.sessionIdHash = lookup.session.id_hash;
        state.csrfToken = lookup.session.csrf_token;
      } else {
        // Blocked or deleted since sign-in: the session ends at once.
        await deleteSession(ctx.db, lookup.session.id_hash);
        reply.clearCookie(names.session, secretCookieOptions(ctx.config));
      }
    }

    const anonymous = request.cookies[names.csrf];
    if (anonymous && /^[\w-]{43}$/.test(anonymous)) {
      state.anonymousCsrfToken = anonymous;
    } else if (!state.user) {
      const token = randomToken();
      reply.setCookie(names.csrf, token, secretCookieOptions(ctx.config));
      // Not accepted for this request's own POST (the browser did not send it), only for the form it renders.
      state.csrfToken = token;
      return;
    }
    if (!state.user) state.csrfToken = anonymous!;
  });
}

import type { FastifyInstance } from "fastify";
import type { AppContext } from "../app-context.ts";
import { formatDuration, isLanguage, t } from "../i18n/i18n.ts";
import { FIELD_LIMITS, formBodySchema } from "../web/form-schema.ts";
import { MessagePage } from "../web/message-page.tsx";
import { safeReturnPath, sendPage } from "../web/render.tsx";
import { signIn, signOut } from "./auth.service.ts";
import { cookieNames, secretCookieOptions, setLanguageCookie } from "./cookies.ts";
import { FORCED_PASSWORD_CHANGE_PATH } from "./guards.tsx";
import { pageContext } from "./request-state.ts";
import { type SignInNotice, SignInPage } from "./sign-in.page.tsx";

const NOTICES: SignInNotice[] = ["signed-out", "session-expired", "password-changed"];

const signInBody = formBodySchema({
  login: FIELD_LIMITS.login,
  password: FIELD_LIMITS.password,
  next: FIELD_LIMITS.next,
});

interface SignInBody {
  login?: string;
  password?: string;
  next?: string;
}

export async function authRoutes(app: FastifyInstance, options: { ctx: AppContext }) {
  const { ctx } = options;
  const names = cookieNames(ctx.config);

  app.get<{ Querystring: { next?: string; notice?: string } }>("/sign-in", async (request, reply) => {
    const next = safeReturnPath(request.query.next);
    if (request.lk.user) return reply.redirect(next ?? "/", 303);
    const notice = NOTICES.find((n) => n === request.query.notice);
    return sendPage(
      reply,
      <SignInPage ctx={pageContext(request, ctx.config.mode)} next={next} notice={notice} />,
    );
  });

  app.post<{ Body: SignInBody }>("/sign-in", { schema: { body: signInBody } }, async (request, reply) => {
    const login = request.body?.login ?? "";
    const next = safeReturnPath(request.body?.next);
    const result = await signIn(ctx, {
      login,
      password: request.body?.password ?? "",
      ip: request.ip,
      userAgent: request.headers["user-agent"] ?? "",
      previousSessionIdHash: request.lk.sessionIdHash,
    });
    const page = pageContext(request, ctx.config.mode);
    switch (result.outcome) {
      case "signed-in":
        reply.setCookie(names.session, result.session.cookieValue, {
          ...secretCookieOptions(ctx.config),
          maxAge: Math.floor(ctx.config.sessionMaxMs / 1000),
        });
        if (result.passwordTemporary) {
          const target = next
            ? `${FORCED_PASSWORD_CHANGE_PATH}?next=${encodeURIComponent(next)}`
            : FORCED_PASSWORD_CHANGE_PATH;
          return reply.redirect(target, 303);
        }
        return reply.redirect(next ?? "/", 303);
      case "rejected":
        return sendPage(reply, <SignInPage ctx={page} login={login} next={next} error="rejected" />, 200);
      case "incomplete":
        return sendPage(reply, <SignInPage ctx={page} login={login} next={next} error="incomplete" />, 400);
      case "throttled": {
        const wait = formatDuration(page.language, Math.ceil(result.retryAfterMs / 60_000) * 60_000);
        reply.header("retry-after", Math.ceil(result.retryAfterMs / 1000));
        return sendPage(
          reply,
          <MessagePage
            ctx={page}
            title="signIn.throttledTitle"
            body={t(page.language, "signIn.throttled", { wait })}
            link={{ href: "/sign-in", label: "recovery.back" }}
          />,
          429,
        );
      }
    }
  });

  app.post("/sign-out", async (request, reply) => {
    const { user, sessionIdHash } = request.lk;
    if (user && sessionIdHash) await signOut(ctx, { idHash: sessionIdHash, userId: user.id, ip: request.ip });
    reply.clearCookie(names.session, secretCookieOptions(ctx.config));
    return reply.redirect("/sign-in?notice=signed-out", 303);
  });

  app.get<{ Params: { language: string }; Querystring: { next?: string } }>(
    "/language/:language",
    async (request, reply) => {
      const { language } = request.params;
      if (isLanguage(language)) setLanguageCookie(reply, ctx.config, language);
      return reply.redirect(safeReturnPath(request.query.next) ?? "/sign-in", 303);
    },
  );
}

import type { FastifyInstance } from "fastify";
import type { AppContext } from "../app-context.ts";
import { cookieNames, secretCookieOptions } from "../auth/cookies.ts";
import { FORCED_PASSWORD_CHANGE_PATH, requireUser } from "../auth/guards.tsx";
import { pageContext } from "../auth/request-state.ts";
import { isLanguage } from "../i18n/i18n.ts";
import { policyFromConfig } from "../passwords/passwords.service.ts";
import { FIELD_LIMITS, formBodySchema } from "../web/form-schema.ts";
import { safeReturnPath, sendPage } from "../web/render.tsx";
import { changeLanguage, changeOwnPassword, replaceTemporaryPassword } from "./settings.service.ts";

const CHANGED = ["password", "language"] as const;

import { ForcedChangePage, SettingsPage } from "./settings.pages.tsx";

const passwordBody = formBodySchema({
  current: FIELD_LIMITS.password,
  password: FIELD_LIMITS.password,
  repeat: FIELD_LIMITS.password,
  next: FIELD_LIMITS.next,
});

interface PasswordBody {
  current?: string;
  password?: string;
  repeat?: string;
  next?: string;
}

export async function settingsRoutes(app: FastifyInstance, options: { ctx: AppContext }) {
  const { ctx } = options;
  const policy = policyFromConfig(ctx.config);
  const names = cookieNames(ctx.config);

  app.get<{ Querystring: { changed?: string } }>(
    "/settings",
    { preHandler: requireUser(ctx) },
    async (request, reply) => {
      const page = pageContext(request, ctx.config.mode);
      return sendPage(
        reply,
        <SettingsPage
          ctx={page}
          user={request.lk.user!}
          policy={policy}
          changed={CHANGED.find((c) => c === request.query.changed)}
        />,
      );
    },
  );

  app.post<{ Body: PasswordBody }>(
    "/settings/password",
    { preHandler: requireUser(ctx), schema: { body: passwordBody } },
    async (request, reply) => {
      const user = request.lk.user!;
      const result = await changeOwnPassword(ctx, {
        user,
        sessionIdHash: request.lk.sessionIdHash!,
        current: request.body?.current ?? "",
        password: request.body?.password ?? "",
        repeat: request.body?.repeat ?? "",
        ip: request.ip,
      });
      const page = pageContext(request, ctx.config.mode);
      switch (result.outcome) {
        case "changed":
          return reply.redirect("/settings?changed=password", 303);
        case "locked-out":
          reply.clearCookie(names.session, secretCookieOptions(ctx.config));
          return reply.redirect("/sign-in", 303);
        case "no-right":
          return sendPage(reply, <SettingsPage ctx={page} user={user} policy={policy} />, 403);
        case "rejected":
          return sendPage(
            reply,
            <SettingsPage ctx={page} user={user} policy={policy} problems={result.problems} />,
            422,
          );
      }
    },
  );

  app.post<{ Body: { language?: string } }>(
    "/settings/language",
    { preHandler: requireUser(ctx), schema: { body: formBodySchema({ language: 2 }) } },
    async (request, reply) => {
      const language = request.body?.language;
      if (!isLanguage(language)) return reply.redirect("/settings", 303);
      await changeLanguage(ctx, { user: request.lk.user!, language, ip: request.ip });
      return reply.redirect("/settings?changed=language", 303);
    },
  );

  const forced = { preHandler: requireUser(ctx, { allowTemporaryPassword: true }) };

  app.get<{ Querystring: { next?: string } }>(FORCED_PASSWORD_CHANGE_PATH, forced, async (request, reply) => {
    const next = safeReturnPath(request.query.next);
    if (!request.lk.user!.passwordTemporary) return reply.redirect(next ?? "/", 303);
    return sendPage(
      reply,
      <ForcedChangePage ctx={pageContext(request, ctx.config.mode)} policy={policy} next={next} />,
    );
  });

  app.post<{ Body: PasswordBody }>(
    FORCED_PASSWORD_CHANGE_PATH,
    { ...forced, schema: { body: passwordBody } },
    async (request, reply) => {
      const user = request.lk.user!;
      const next = safeReturnPath(request.body?.next);
      if (!user.passwordTemporary) return reply.redirect(next ?? "/", 303);
      const result = await replaceTemporaryPassword(ctx, {
        user,
        sessionIdHash: request.lk.sessionIdHash!,
        password: request.body?.password ?? "",
        repeat: request.body?.repeat ?? "",
        ip: request.ip,
      });
      if (result.outcome === "changed") return reply.redirect(next ?? "/", 303);
      const problems = result.outcome === "rejected" ? result.problems : [];
      return sendPage(
        reply,
        <ForcedChangePage
          ctx={pageContext(request, ctx.config.mode)}
          policy={policy}
          next={next}
          problems={problems}
        />,
        422,
      );
    },
  );
}

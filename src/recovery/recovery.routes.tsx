import { setTimeout as sleepMs } from "node:timers/promises";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../app-context.ts";
import { setLanguageCookie } from "../auth/cookies.ts";
import { pageContext } from "../auth/request-state.ts";
import { policyFromConfig } from "../passwords/passwords.service.ts";
import { FIELD_LIMITS, formBodySchema } from "../web/form-schema.ts";
import { sendPage } from "../web/render.tsx";
import { LinkInvalidPage, NewPasswordPage, RecoveryPage, RecoverySentPage } from "./recovery.pages.tsx";
import { findOpenResetLink, requestRecovery, resetPassword } from "./recovery.service.ts";

const recoveryBody = formBodySchema({ login: FIELD_LIMITS.login, email: FIELD_LIMITS.email });

const newPasswordBody = formBodySchema({ password: FIELD_LIMITS.password, repeat: FIELD_LIMITS.password });

// No length limit here: any malformed token, however long, is just an invalid link (findOpenResetLink).
const tokenParams = {
  type: "object",
  properties: { token: { type: "string" } },
  required: ["token"],
} as const;

export async function recoveryRoutes(app: FastifyInstance, options: { ctx: AppContext }) {
  const { ctx } = options;
  const policy = policyFromConfig(ctx.config);
  const supportEmail = ctx.config.supportEmail;

  app.get("/recovery", async (request, reply) => {
    return sendPage(
      reply,
      <RecoveryPage ctx={pageContext(request, ctx.config.mode)} supportEmail={supportEmail} />,
    );
  });

  app.post<{ Body: { login?: string; email?: string } }>(
    "/recovery",
    { schema: { body: recoveryBody } },
    async (request, reply) => {
      const started = performance.now();
      const login = request.body?.login ?? "";
      const email = request.body?.email ?? "";
      const result = await requestRecovery(ctx, { login, email, ip: request.ip });
      // The success path writes a link and a mail, the refusal only an audit row; answering both no sooner
      // than a fixed floor hides that difference (the page's text differs anyway: the seed wants it so).
      await sleep(started + ctx.config.recoveryMinResponseMs - performance.now());
      const page = pageContext(request, ctx.config.mode);
      if (result.outcome === "sent") return sendPage(reply, <RecoverySentPage ctx={page} />);
      const error = result.outcome === "refused" ? "refused" : "incomplete";
      return sendPage(
        reply,
        <RecoveryPage ctx={page} login={login} email={email} error={error} supportEmail={supportEmail} />,
        error === "incomplete" ? 400 : 200,
      );
    },
  );

  // Opening the link only shows the form: mail scanners that follow links must not consume it.
  app.get<{ Params: { token: string } }>(
    "/recovery/reset/:token",
    { schema: { params: tokenParams } },
    async (request, reply) => {
      const open = await findOpenResetLink(ctx, request.params.token);
      const page = pageContext(request, ctx.config.mode);
      if (!open) return sendPage(reply, <LinkInvalidPage ctx={page} />, 410);
      return sendPage(
        reply,
        <NewPasswordPage
          // The page behind a mailed link speaks the account's language, like the mail (seed, «Примечание»).
          ctx={{ ...page, language: open.user.language }}
          token={request.params.token}
          login={open.user.login}
          policy={policy}
        />,
      );
    },
  );

  app.post<{ Params: { token: string }; Body: { password?: string; repeat?: string } }>(
    "/recovery/reset/:token",
    { schema: { params: tokenParams, body: newPasswordBody } },
    async (request, reply) => {
      const result = await resetPassword(ctx, {
        token: request.params.token,
        password: request.body?.password ?? "",
        repeat: request.body?.repeat ?? "",
        ip: request.ip,
      });
      const page = pageContext(request, ctx.config.mode);
      if (result.outcome === "changed") {
        // The sign-in page that follows speaks the account's language, as the mail and this page did.
        setLanguageCookie(reply, ctx.config, result.language);
        return reply.redirect("/sign-in?notice=password-changed", 303);
      }
      if (result.outcome === "invalid-link") return sendPage(reply, <LinkInvalidPage ctx={page} />, 410);
      return sendPage(
        reply,
        <NewPasswordPage
          ctx={{ ...page, language: result.language }}
          token={request.params.token}
          login={result.login}
          policy={policy}
          problems={result.problems}
        />,
        422,
      );
    },
  );

  // A link mangled by a mail client (an extra path segment, say) is an invalid link too, not a 404.
  const linkInvalid = async (request: FastifyRequest, reply: FastifyReply) =>
    sendPage(reply, <LinkInvalidPage ctx={pageContext(request, ctx.config.mode)} />, 410);
  app.get("/recovery/reset/*", linkInvalid);
  app.post("/recovery/reset/*", linkInvalid);
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? sleepMs(ms) : Promise.resolve();
}

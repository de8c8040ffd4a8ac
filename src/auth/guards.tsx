import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from "fastify";
import type { AppContext } from "../app-context.ts";
import { t } from "../i18n/i18n.ts";
import type { Right } from "../users/rights.ts";
import { MessagePage } from "../web/message-page.tsx";
import { sendPage } from "../web/render.tsx";
import { pageContext } from "./request-state.ts";

export const FORCED_PASSWORD_CHANGE_PATH = "/password/change-required";

function signInRedirect(request: FastifyRequest): string {
  const params = new URLSearchParams({ next: request.url });
  if (request.lk.sessionExpired) params.set("notice", "session-expired");
  return `/sign-in?${params.toString()}`;
}

/**
 * Cabinet pages: anonymous requests go to sign-in and come back afterwards; an account with a password
 * issued by someone else must set its own before it sees any section.
 */
export function requireUser(
  ctx: AppContext,
  options: { right?: Right; allowTemporaryPassword?: boolean } = {},
): preHandlerAsyncHookHandler {
  return async function guard(request: FastifyRequest, reply: FastifyReply) {
    const user = request.lk.user;
    if (!user) {
      if (request.method === "GET") return reply.redirect(signInRedirect(request), 303);
      return reply.redirect("/sign-in", 303);
    }
    if (user.passwordTemporary && !options.allowTemporaryPassword) {
      return reply.redirect(FORCED_PASSWORD_CHANGE_PATH, 303);
    }
    if (options.right && !user.rights.has(options.right)) {
      const page = pageContext(request, ctx.config.mode);
      return sendPage(
        reply,
        <MessagePage ctx={page} title="error.forbiddenTitle" body={t(page.language, "error.forbidden")} />,
        403,
      );
    }
  };
}

import type { FastifyInstance } from "fastify";
import type { AppContext } from "../app-context.ts";
import { findPreviousSignIn } from "../audit/audit.repository.ts";
import { requireUser } from "../auth/guards.tsx";
import { pageContext } from "../auth/request-state.ts";
import { findVisibleMerchants } from "../users/users.repository.ts";
import { sendPage } from "../web/render.tsx";
import { HomePage } from "./home.page.tsx";

export async function homeRoutes(app: FastifyInstance, options: { ctx: AppContext }) {
  const { ctx } = options;
  app.get("/", { preHandler: requireUser(ctx) }, async (request, reply) => {
    const user = request.lk.user!;
    const [merchants, previous] = await Promise.all([
      findVisibleMerchants(ctx.db, {
        userId: user.id,
        enterpriseId: user.enterpriseId,
        allMerchants: user.allMerchants,
      }),
      findPreviousSignIn(ctx.db, user.id),
    ]);
    return sendPage(
      reply,
      <HomePage
        ctx={pageContext(request, ctx.config.mode)}
        user={user}
        merchants={merchants}
        previousSignIn={previous ? { at: previous.created_at, ip: previous.ip } : undefined}
        sessionIdleMs={ctx.config.sessionIdleMs}
      />,
    );
  });
}

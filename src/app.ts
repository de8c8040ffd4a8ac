import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import helmet from "@fastify/helmet";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { sql } from "kysely";
import type { AppContext } from "./app-context.ts";
import { authRoutes } from "./auth/auth.routes.tsx";
import { hasValidCsrfToken, isSameOrigin } from "./auth/csrf.ts";
import { pageContext, registerRequestState } from "./auth/request-state.ts";
import { homeRoutes } from "./home/home.routes.tsx";
import { recoveryRoutes } from "./recovery/recovery.routes.tsx";
import { settingsRoutes } from "./settings/settings.routes.tsx";
import { statusOf } from "./web/app-error.ts";
import { assetsRoutes } from "./web/assets.routes.ts";
import { errorPage } from "./web/error-pages.tsx";
import { sendPage } from "./web/render.tsx";

export interface BuildAppOptions {
  /** A pino logger; tests leave it out and run silent. */
  logger?: FastifyBaseLogger;
  /** Trust X-Forwarded-For from a reverse proxy (LK_TRUST_PROXY); off by default so clients cannot spoof their IP. */
  trustProxy?: boolean;
}

export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    trustProxy: options.trustProxy ?? false,
    bodyLimit: 64 * 1024,
    // The default 100-character limit answers longer path segments with a bare 414 that bypasses our pages
    // and headers; Node's own header limit still bounds the URL.
    routerOptions: { maxParamLength: 16_384 },
  });

  await app.register(cookie);
  await app.register(formbody);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        scriptSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    // HSTS only in production: a test instance on plain http would otherwise poison the browser for the host.
    strictTransportSecurity:
      ctx.config.mode === "production" ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "no-referrer" },
    crossOriginEmbedderPolicy: false,
  });

  registerRequestState(app, ctx);

  // Every state-changing request, sign-in included, must come from our own pages.
  app.addHook("preHandler", async (request, reply) => {
    if (request.method !== "POST") return;
    if (isSameOrigin(request) && hasValidCsrfToken(request)) return;
    request.log.warn({ url: request.url }, "CSRF check failed");
    const page = pageContext(request, ctx.config.mode);
    return sendPage(reply, errorPage(page, "csrf", request.url), 403);
  });

  // Pages carry money data: never stored by a browser or a proxy cache.
  app.addHook("onSend", async (_request, reply, payload) => {
    const type = String(reply.getHeader("content-type") ?? "");
    if (type.startsWith("text/html")) reply.header("cache-control", "no-store");
    return payload;
  });

  app.get("/healthz", async (_request, reply) => {
    try {
      await sql`select 1`.execute(ctx.db);
      return reply.send({ status: "ok", mode: ctx.config.mode });
    } catch {
      return reply.status(503).send({ status: "unavailable", mode: ctx.config.mode });
    }
  });

  // Before the route plugins: each plugin keeps the error handler that existed when it was registered.
  app.setErrorHandler((error, request, reply) => {
    const status = statusOf(error);
    if (status >= 500) request.log.error({ err: error }, "request failed");
    else request.log.info({ err: { message: (error as Error).message } }, "request rejected");
    const page = pageContext(request, ctx.config.mode);
    return sendPage(
      reply,
      errorPage(page, status >= 500 ? "server" : status === 403 ? "forbidden" : "bad-request"),
      status,
    );
  });

  await app.register(assetsRoutes);
  await app.register(authRoutes, { ctx });
  await app.register(homeRoutes, { ctx });
  await app.register(recoveryRoutes, { ctx });
  await app.register(settingsRoutes, { ctx });

  app.setNotFoundHandler((request, reply) => {
    const page = pageContext(request, ctx.config.mode);
    return sendPage(reply, errorPage(page, "not-found"), 404);
  });

  return app;
}

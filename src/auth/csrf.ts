import type { FastifyRequest } from "fastify";
import { tokensEqual } from "./tokens.ts";

/**
 * Origin check first (OWASP: verify the source origin), then the synchronizer token. Browsers send Origin on
 * every cross-site POST, so a forged form fails here even before the token is looked at.
 */
export function isSameOrigin(request: FastifyRequest): boolean {
  if (request.headers["sec-fetch-site"] === "cross-site") return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (origin === "null") return false;
  try {
    const source = new URL(origin);
    // Normalised through URL on both sides, so "host:80" and "http://host" compare equal.
    return source.host === new URL(`${source.protocol}//${request.headers.host}`).host;
  } catch {
    return false;
  }
}

export function hasValidCsrfToken(request: FastifyRequest): boolean {
  const body = request.body as Record<string, unknown> | undefined;
  const sent = body?._csrf;
  if (typeof sent !== "string" || sent.length === 0) return false;
  const { csrfToken, anonymousCsrfToken, user } = request.lk;
  if (user && csrfToken && tokensEqual(sent, csrfToken)) return true;
  return anonymousCsrfToken !== undefined && tokensEqual(sent, anonymousCsrfToken);
}

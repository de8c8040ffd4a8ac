import type { FastifyRequest } from "fastify";
import { tokensEqual } from "./tokens.ts";

/**
 * Source check first (OWASP: Fetch Metadata, then Origin), then the synchronizer token. Browsers mark every
 * cross-site POST, so a forged form fails here even before the token is looked at.
 */
export function isSameOrigin(request: FastifyRequest): boolean {
  // Fetch metadata first: browsers set it on every request and it cannot be forged by a page. It matters
  // because under our Referrer-Policy (no-referrer) Chromium sends `Origin: null` even on same-origin posts.
  const site = request.headers["sec-fetch-site"];
  if (site === "same-origin") return true;
  if (site === "cross-site" || site === "same-site") return false;
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

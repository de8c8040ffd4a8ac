import type { FastifyReply } from "fastify";
import type { VNode } from "preact";
import { renderToStaticMarkup } from "preact-render-to-string";

/** Sends a server-rendered page; the renderer escapes every interpolated value. */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .status(status)
    .type("text/html; charset=utf-8")
    .send(`<!doctype html>${renderToStaticMarkup(page)}`);
}

/**
 * A path on this site to return to after sign-in, or undefined. Only same-origin paths pass:
 * `//evil.example`, `/\evil.example` and absolute URLs would be open redirects.
 */
export function safeReturnPath(next: unknown): string | undefined {
  if (typeof next !== "string" || !next.startsWith("/") || next.length > 2000) return undefined;
  if (next.startsWith("//") || next.startsWith("/\\") || hasControlCharacter(next)) return undefined;
  try {
    const base = "http://cabinet.invalid";
    const url = new URL(next, base);
    if (url.origin !== base) return undefined;
    const path = url.pathname + url.search;
    // Dot segments collapse during parsing: "/.//evil.example" becomes "//evil.example", which a browser
    // reads as another host. Check the result as well as the input.
    if (path.startsWith("//") || path.startsWith("/\\")) return undefined;
    return path;
  } catch {
    return undefined;
  }
}

function hasControlCharacter(text: string): boolean {
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

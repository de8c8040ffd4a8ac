import type { CookieSerializeOptions } from "@fastify/cookie";
import type { FastifyReply } from "fastify";
import type { Config } from "../config.ts";
import type { Language } from "../users/users.table.ts";

export interface CookieNames {
  session: string;
  csrf: string;
  language: string;
}

/**
 * Names differ per mode, so a test and a production instance on one host never share a session.
 * Over https the `__Host-` prefix pins the cookie to this exact host (no subdomain can plant one).
 */
export function cookieNames(config: Pick<Config, "mode" | "secureCookies">): CookieNames {
  const prefix = config.secureCookies ? "__Host-" : "";
  return {
    session: `${prefix}lk-${config.mode}-session`,
    csrf: `${prefix}lk-${config.mode}-csrf`,
    language: `lk-${config.mode}-lang`,
  };
}

export function secretCookieOptions(config: Pick<Config, "secureCookies">): CookieSerializeOptions {
  return { path: "/", httpOnly: true, sameSite: "lax", secure: config.secureCookies };
}

/** Remembers the language of the pages one sees before signing in (not a secret, so readable and long-lived). */
export function setLanguageCookie(
  reply: FastifyReply,
  config: Pick<Config, "mode" | "secureCookies">,
  language: Language,
): void {
  reply.setCookie(cookieNames(config).language, language, {
    path: "/",
    sameSite: "lax",
    secure: config.secureCookies,
    maxAge: 365 * 24 * 3600,
  });
}

import type { CookieSerializeOptions } from "@fastify/cookie";
import type { Config } from "../config.ts";

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

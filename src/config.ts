import { z } from "zod";

export type Mode = "test" | "production";

export interface Config {
  mode: Mode;
  host: string;
  port: number;
  databaseUrl: string;
  publicUrl: string;
  /** True when LK_PUBLIC_URL is https: cookies get `Secure` and the `__Host-` prefix, HSTS is sent. */
  secureCookies: boolean;
  smtpUrl: string | undefined;
  outboxDir: string;
  mailFrom: string;
  supportEmail: string;
  resetLinkTtlMs: number;
  sessionIdleMs: number;
  sessionMaxMs: number;
  lockoutThreshold: number;
  lockoutDurationMs: number;
  ipFailureLimit: number;
  ipFailureWindowMs: number;
  recoveryAccountLimit: number;
  recoveryIpLimit: number;
  recoveryWindowMs: number;
  /** Both recovery answers wait until at least this long after the request arrived (timing equalisation). */
  recoveryMinResponseMs: number;
  passwordMinLength: number;
  passwordMaxLength: number;
  passwordHistory: number;
  argon2: { memoryKib: number; timeCost: number; parallelism: number };
  logLevel: string;
  /** Behind a reverse proxy: take the client IP from X-Forwarded-For (throttling and audit depend on it). */
  trustProxy: boolean;
}

export class ConfigError extends Error {}

const DURATION = /^(\d+)\s*(ms|s|m|h|d)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Seconds as a bare number, or a number with a unit: `45s`, `30m`, `2h` (PRODUCT.md, LK_RESET_LINK_TTL). */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  const ms = value * UNIT_MS[match[2] ?? "s"]!;
  return ms > 0 ? ms : undefined;
}

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined) {
        ctx.addIssue({
          code: "custom",
          message: `"${text}" is not a duration (use seconds or 45s, 30m, 2h)`,
        });
        return z.NEVER;
      }
      return ms;
    });

const int = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const EnvSchema = z.object({
  LK_MODE: z.enum(["test", "production"]).default("test"),
  LK_HOST: z.string().min(1).default("127.0.0.1"),
  LK_PORT: int(3000, 0, 65535),
  LK_DATABASE_URL: z.string().optional(),
  LK_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  LK_SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  LK_OUTBOX_DIR: z.string().optional(),
  LK_MAIL_FROM: z.email().default("no-reply@localhost"),
  LK_SUPPORT_EMAIL: z.email().default("support@belassist.by"),
  LK_RESET_LINK_TTL: duration("30m"),
  LK_SESSION_IDLE: duration("15m"),
  LK_SESSION_MAX: duration("8h"),
  LK_LOCKOUT_THRESHOLD: int(10, 1, 1000),
  LK_LOCKOUT_DURATION: duration("30m"),
  LK_IP_FAILURE_LIMIT: int(50, 1, 100_000),
  LK_IP_FAILURE_WINDOW: duration("15m"),
  LK_RECOVERY_ACCOUNT_LIMIT: int(5, 1, 1000),
  LK_RECOVERY_IP_LIMIT: int(20, 1, 100_000),
  LK_RECOVERY_WINDOW: duration("1h"),
  LK_RECOVERY_MIN_RESPONSE: z
    .string()
    .default("250ms")
    .transform((text, ctx) => {
      const ms = text.trim() === "0" ? 0 : parseDuration(text);
      if (ms === undefined) {
        ctx.addIssue({ code: "custom", message: `"${text}" is not a duration (use 0, 250ms, 1s)` });
        return z.NEVER;
      }
      return ms;
    }),
  LK_PASSWORD_MIN_LENGTH: int(8, 8, 64),
  LK_PASSWORD_MAX_LENGTH: int(20, 8, 128),
  LK_PASSWORD_HISTORY: int(3, 1, 24),
  LK_ARGON2_MEMORY_KIB: int(19_456, 1024, 1_048_576),
  LK_ARGON2_TIME_COST: int(2, 1, 20),
  LK_ARGON2_PARALLELISM: int(1, 1, 16),
  LK_TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  LK_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

type Env = Record<string, string | undefined>;

/** Reads the environment once at boot; every problem is reported at once, in one message. */
export function loadConfig(env: Env = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (e.LK_MODE === "production") {
    const missing = (["LK_PUBLIC_URL", "LK_SMTP_URL"] as const).filter((name) => !e[name]);
    if (missing.length > 0) {
      throw new ConfigError(
        `Production mode needs ${missing.join(" and ")}: mails must reach real people with links to the public address. ` +
          "Set them, or run with LK_MODE=test.",
      );
    }
  }
  if (e.LK_PASSWORD_MIN_LENGTH > e.LK_PASSWORD_MAX_LENGTH) {
    throw new ConfigError(
      "Invalid configuration:\n  LK_PASSWORD_MIN_LENGTH must not exceed LK_PASSWORD_MAX_LENGTH",
    );
  }
  const publicUrl = (e.LK_PUBLIC_URL ?? `http://${e.LK_HOST}:${e.LK_PORT}`).replace(/\/+$/, "");
  return {
    mode: e.LK_MODE,
    host: e.LK_HOST,
    port: e.LK_PORT,
    databaseUrl: e.LK_DATABASE_URL ?? `sqlite:./data/lk-${e.LK_MODE}.db`,
    publicUrl,
    secureCookies: publicUrl.startsWith("https:"),
    smtpUrl: e.LK_SMTP_URL,
    outboxDir: e.LK_OUTBOX_DIR ?? `./data/outbox-${e.LK_MODE}`,
    mailFrom: e.LK_MAIL_FROM,
    supportEmail: e.LK_SUPPORT_EMAIL,
    resetLinkTtlMs: e.LK_RESET_LINK_TTL,
    sessionIdleMs: e.LK_SESSION_IDLE,
    sessionMaxMs: e.LK_SESSION_MAX,
    lockoutThreshold: e.LK_LOCKOUT_THRESHOLD,
    lockoutDurationMs: e.LK_LOCKOUT_DURATION,
    ipFailureLimit: e.LK_IP_FAILURE_LIMIT,
    ipFailureWindowMs: e.LK_IP_FAILURE_WINDOW,
    recoveryAccountLimit: e.LK_RECOVERY_ACCOUNT_LIMIT,
    recoveryIpLimit: e.LK_RECOVERY_IP_LIMIT,
    recoveryWindowMs: e.LK_RECOVERY_WINDOW,
    recoveryMinResponseMs: e.LK_RECOVERY_MIN_RESPONSE,
    passwordMinLength: e.LK_PASSWORD_MIN_LENGTH,
    passwordMaxLength: e.LK_PASSWORD_MAX_LENGTH,
    passwordHistory: e.LK_PASSWORD_HISTORY,
    argon2: {
      memoryKib: e.LK_ARGON2_MEMORY_KIB,
      timeCost: e.LK_ARGON2_TIME_COST,
      parallelism: e.LK_ARGON2_PARALLELISM,
    },
    logLevel: e.LK_LOG_LEVEL,
    trustProxy: e.LK_TRUST_PROXY === "true",
  };
}

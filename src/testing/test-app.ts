// Test support shared by HTTP and service tests: a real app on a fresh database of the given dialect.
import { randomBytes } from "node:crypto";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { buildApp } from "../app.ts";
import type { AppContext } from "../app-context.ts";
import { type Config, loadConfig } from "../config.ts";
import type { Dialect } from "../db/connection.ts";
import { createTestDatabase, type TestDatabase } from "../db/test-database.ts";
import { createPasswordHasher, type PasswordHasher } from "../passwords/password-hasher.ts";
import { policyFromConfig } from "../passwords/passwords.service.ts";
import type { Right } from "../users/rights.ts";
import { createUser } from "../users/users.service.ts";
import type { Language, UserRow } from "../users/users.table.ts";

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: TestDatabase;
  /** Times mailQueued() was called: a request that queues mail must wake the sender. */
  mailKicks: { count: number };
  /** Moves the clock used by the app; starts at the real time. */
  clock: { now: number; advance(ms: number): void };
  close(): Promise<void>;
}

// One hasher per process: its dummy hash is computed once, as in the server.
let sharedHasher: PasswordHasher | undefined;

export async function createTestApp(dialect: Dialect, env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase(dialect);
  // No recovery answer floor by default (it only adds waiting); the timing tests set their own.
  const config: Config = loadConfig({ LK_MODE: "test", LK_RECOVERY_MIN_RESPONSE: "0", ...env });
  const clock = {
    now: Date.now(),
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const mailKicks = { count: 0 };
  sharedHasher ??= createPasswordHasher(config.argon2);
  const ctx: AppContext = {
    db: database.db,
    config,
    hasher: sharedHasher,
    mailQueued: () => {
      mailKicks.count += 1;
    },
    now: () => clock.now,
  };
  const app = await buildApp(ctx);
  return {
    app,
    ctx,
    database,
    mailKicks,
    clock,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export interface SeedUserOptions {
  login?: string;
  email?: string;
  password?: string;
  temporary?: boolean;
  language?: Language;
  merchant?: string;
  rights?: Right[];
  fullName?: string;
}

export interface SeededUser {
  user: UserRow;
  login: string;
  email: string;
  password: string;
}

/** A user with a unique login, so tests never depend on each other's data (documenso's seedUser). */
export async function seedUser(ctx: AppContext, options: SeedUserOptions = {}): Promise<SeededUser> {
  const suffix = randomBytes(4).toString("hex");
  const login = options.login ?? `user_${suffix}`;
  const email = options.email ?? `${login}@shop.example`;
  const password = options.password ?? `Passw0rd${suffix.slice(0, 4)}`;
  const result = await createUser(
    { db: ctx.db, hasher: ctx.hasher, policy: policyFromConfig(ctx.config), now: ctx.now },
    {
      login,
      email,
      password,
      temporary: options.temporary ?? false,
      language: options.language ?? "ru",
      merchant: options.merchant ?? `Shop ${suffix}`,
      rights: options.rights,
      fullName: options.fullName,
    },
  );
  if (!result.ok) throw new Error(`seedUser failed: ${JSON.stringify(result.errors)}`);
  return { user: result.user, login, email, password };
}

/** A cookie jar for app.inject: keeps what Set-Cookie sends, like a browser would. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies) {
      const expired = cookie.maxAge === 0 || (cookie.expires && cookie.expires.getTime() < Date.now());
      if (expired || cookie.value === "") this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  delete(name: string): void {
    this.cookies.delete(name);
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

/** The hidden `_csrf` value of the first form in a page. */
export function csrfTokenOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error("no CSRF field in the page");
  return match[1]!;
}

export interface Browserish {
  jar: CookieJar;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** Posts a form the way a browser would: with the CSRF token of the page it came from. */
  postForm(
    url: string,
    fields: Record<string, string>,
    options?: { from?: string; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
}

export function browser(app: FastifyInstance, ip = "127.0.0.1"): Browserish {
  const jar = new CookieJar();
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const response = await app.inject({
      method: "GET",
      url,
      remoteAddress: ip,
      headers: { cookie: jar.header(), ...headers },
    });
    jar.store(response);
    return response;
  };
  return {
    jar,
    get,
    async postForm(url, fields, options = {}) {
      const page = await get(options.from ?? url);
      const body = new URLSearchParams({ _csrf: csrfTokenOf(page.body), ...fields }).toString();
      const response = await app.inject({
        method: "POST",
        url,
        remoteAddress: ip,
        headers: {
          cookie: jar.header(),
          "content-type": "application/x-www-form-urlencoded",
          origin: "http://localhost:80",
          host: "localhost:80",
          ...options.headers,
        },
        payload: body,
      });
      jar.store(response);
      return response;
    },
  };
}

/** Signs in through the real form; returns the browser with its session cookie. */
export async function signedInBrowser(
  app: FastifyInstance,
  login: string,
  password: string,
): Promise<Browserish> {
  const b = browser(app);
  const response = await b.postForm("/sign-in", { login, password });
  if (response.statusCode !== 303) throw new Error(`sign-in failed with ${response.statusCode}`);
  return b;
}

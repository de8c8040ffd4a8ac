import pino from "pino";
import { buildApp } from "./app.ts";
import type { AppContext } from "./app-context.ts";
import { deleteExpiredSessions } from "./auth/sessions.repository.ts";
import { bootstrapDemoData } from "./bootstrap.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { openDatabase } from "./db/connection.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { MailSender } from "./mail/mail-sender.ts";
import { createMailTransport } from "./mail/mail-transport.ts";
import { createPasswordHasher } from "./passwords/password-hasher.ts";
import { purgeExpiredRateLimits } from "./rate-limit/rate-limits.repository.ts";

const MAINTENANCE_INTERVAL_MS = 60_000;

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = pino({
    level: config.logLevel,
    redact: ["req.headers.cookie", 'res.headers["set-cookie"]', "req.body.password"],
  });

  const database = openDatabase(config.databaseUrl);
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) logger.info({ migrations: applied }, "database migrated");

  const transport = createMailTransport({ smtpUrl: config.smtpUrl, outboxDir: config.outboxDir });
  const sender = new MailSender({ db: database.db, transport, from: config.mailFrom, logger });
  const ctx: AppContext = {
    db: database.db,
    config,
    hasher: createPasswordHasher(config.argon2),
    mailQueued: () => sender.kick(),
    now: Date.now,
  };
  await bootstrapDemoData(ctx, logger);

  const app = await buildApp(ctx, { logger, trustProxy: config.trustProxy });
  sender.start();
  const maintenance = setInterval(() => {
    const now = Date.now();
    Promise.all([
      deleteExpiredSessions(database.db, {
        idleBefore: now - config.sessionIdleMs,
        createdBefore: now - config.sessionMaxMs,
      }),
      purgeExpiredRateLimits(database.db, now - 24 * 3_600_000),
    ]).catch((error: unknown) => logger.warn({ err: error }, "maintenance failed"));
  }, MAINTENANCE_INTERVAL_MS);
  maintenance.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    clearInterval(maintenance);
    await app.close();
    await sender.stop();
    transport.close();
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  await app.listen({ host: config.host, port: config.port });
  logger.info(
    {
      mode: config.mode,
      url: config.publicUrl,
      database: config.databaseUrl.replace(/:[^:@/]*@/, ":***@"),
      mail: transport.describe(),
    },
    `Merchant cabinet (${config.mode} mode) is listening on http://${config.host}:${config.port}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import type { Logger } from "pino";
import type { AppContext } from "./app-context.ts";
import { generateTemporaryPassword, policyFromConfig } from "./passwords/passwords.service.ts";
import { ALL_RIGHTS } from "./users/rights.ts";
import { countUsers } from "./users/users.repository.ts";
import { createUser } from "./users/users.service.ts";

export const DEMO_ADMIN_LOGIN = "admin";
export const DEMO_MERCHANT = "Demo shop";

/**
 * A new test-mode instance gets a demo enterprise and an administrator, so `npm start` leads straight to a
 * sign-in. The password is random, shown once in the log, and must be changed at first sign-in.
 * Production never bootstraps: operators create the first administrator with `lk users add`.
 */
export async function bootstrapDemoData(
  ctx: AppContext,
  logger: Pick<Logger, "info" | "warn">,
): Promise<void> {
  if ((await countUsers(ctx.db)) > 0) return;
  if (ctx.config.mode === "production") {
    logger.warn(
      "No users yet. Create the first administrator with: npx lk users add --login L --email E --password P --temporary --merchant NAME",
    );
    return;
  }
  const policy = policyFromConfig(ctx.config);
  const password = generateTemporaryPassword(policy);
  const result = await createUser(
    { db: ctx.db, hasher: ctx.hasher, policy, now: ctx.now },
    {
      login: DEMO_ADMIN_LOGIN,
      email: "admin@example.com",
      password,
      temporary: true,
      language: "ru",
      merchant: DEMO_MERCHANT,
      rights: ALL_RIGHTS,
      fullName: "Administrator",
    },
  );
  if (!result.ok)
    throw new Error(`Could not create the demo administrator: ${JSON.stringify(result.errors)}`);
  // Printed once, on purpose: this is how the person who started the instance learns how to sign in.
  logger.info(
    { login: DEMO_ADMIN_LOGIN, oneTimePassword: password },
    `Demo administrator created. Sign in at ${ctx.config.publicUrl}/sign-in as "${DEMO_ADMIN_LOGIN}" with the one-time password ${password} (you will be asked to set your own).`,
  );
}

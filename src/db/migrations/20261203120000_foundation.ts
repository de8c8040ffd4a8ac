import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from "kysely";

// Migrations are frozen once released: they describe the schema as it was, so they use no app types.
type AnyDb = Kysely<unknown>;

function isPostgres(db: AnyDb): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export async function up(db: AnyDb): Promise<void> {
  const pgsql = isPostgres(db);
  const idType = pgsql ? "serial" : "integer";
  const id = (c: ColumnDefinitionBuilder) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement());
  const ms = "bigint" as const;

  await db.schema
    .createTable("enterprises")
    .addColumn("id", idType, id)
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("created_at", ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("merchants")
    .addColumn("id", idType, id)
    .addColumn("enterprise_id", "integer", (c) =>
      c.notNull().references("enterprises.id").onDelete("cascade"),
    )
    .addColumn("merchant_code", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("created_at", ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", idType, id)
    .addColumn("enterprise_id", "integer", (c) =>
      c.notNull().references("enterprises.id").onDelete("cascade"),
    )
    .addColumn("login", "text", (c) => c.notNull())
    .addColumn("login_key", "text", (c) => c.notNull().unique())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("full_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("language", "text", (c) => c.notNull().defaultTo("ru"))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active"))
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("password_temporary", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("password_changed_at", ms, (c) => c.notNull())
    .addColumn("failed_sign_ins", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("locked_until", ms)
    .addColumn("last_sign_in_at", ms)
    .addColumn("all_merchants", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("users_enterprise_idx").on("users").column("enterprise_id").execute();

  await db.schema
    .createTable("user_rights")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("right_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("user_rights_pk", ["user_id", "right_id"])
    .execute();

  await db.schema
    .createTable("user_merchants")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("merchant_id", "integer", (c) => c.notNull().references("merchants.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("user_merchants_pk", ["user_id", "merchant_id"])
    .execute();

  await db.schema
    .createTable("password_history")
    .addColumn("id", idType, id)
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("created_at", ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("password_history_user_idx")
    .on("password_history")
    .columns(["user_id", "id"])
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("csrf_token", "text", (c) => c.notNull())
    .addColumn("created_at", ms, (c) => c.notNull())
    .addColumn("last_seen_at", ms, (c) => c.notNull())
    .addColumn("ip", "text", (c) => c.notNull())
    .addColumn("user_agent", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_user_idx").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("audit_events")
    .addColumn("id", idType, id)
    .addColumn("enterprise_id", "integer")
    .addColumn("user_id", "integer")
    .addColumn("login", "text")
    .addColumn("event_type", "text", (c) => c.notNull())
    .addColumn("ip", "text")
    .addColumn("details", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("created_at", ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("audit_events_enterprise_idx")
    .on("audit_events")
    .columns(["enterprise_id", "created_at"])
    .execute();

  await db.schema
    .createTable("mail_queue")
    .addColumn("id", idType, id)
    .addColumn("recipient", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("text_body", "text", (c) => c.notNull())
    .addColumn("html_body", "text", (c) => c.notNull())
    .addColumn("message_id", "text", (c) => c.notNull().unique())
    .addColumn("created_at", ms, (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", ms, (c) => c.notNull())
    .addColumn("leased_until", ms)
    .addColumn("sent_at", ms)
    .addColumn("last_error", "text")
    .execute();
  await db.schema
    .createIndex("mail_queue_due_idx")
    .on("mail_queue")
    .columns(["sent_at", "next_attempt_at"])
    .execute();

  await db.schema
    .createTable("reset_links")
    .addColumn("id", idType, id)
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", ms, (c) => c.notNull())
    .addColumn("expires_at", ms, (c) => c.notNull())
    .addColumn("used_at", ms)
    .addColumn("revoked_at", ms)
    .execute();
  await db.schema.createIndex("reset_links_user_idx").on("reset_links").column("user_id").execute();

  await db.schema
    .createTable("rate_limits")
    .addColumn("bucket", "text", (c) => c.primaryKey())
    .addColumn("window_started_at", ms, (c) => c.notNull())
    .addColumn("hits", "integer", (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    "rate_limits",
    "reset_links",
    "mail_queue",
    "audit_events",
    "sessions",
    "password_history",
    "user_merchants",
    "user_rights",
    "users",
    "merchants",
    "enterprises",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

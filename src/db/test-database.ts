// Test support: a fresh, migrated database per test on every dialect (Kysely's own test setup is the model).
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type Database, type Dialect, openDatabase } from "./connection.ts";
import { migrateToLatest } from "./migrate.ts";

/** Every dialect by default; `LK_TEST_DIALECTS=sqlite` (or `postgres`) narrows the run. */
export const DIALECTS: Dialect[] = (process.env.LK_TEST_DIALECTS ?? "sqlite,postgres")
  .split(",")
  .map((name) => name.trim())
  .filter((name): name is Dialect => name === "sqlite" || name === "postgres");

const POSTGRES_ADMIN_URL = process.env.LK_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase extends Database {
  url: string;
}

let sqliteTemplate: Promise<string> | undefined;
let postgresTemplate: Promise<string> | undefined;

export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  return dialect === "sqlite" ? createSqliteDatabase() : createPostgresDatabase();
}

/**
 * A database with no tables at all: for tests of the migrations themselves, and for a real server under test,
 * which migrates at start. `close()` removes it.
 */
export async function createEmptyTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "lk-empty-"));
    const url = `sqlite:${join(dir, "lk.db")}`;
    const database = openDatabase(url);
    return {
      ...database,
      url,
      close: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `lk_test_${randomBytes(8).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  return openPostgresTestDatabase(name);
}

async function createSqliteDatabase(): Promise<TestDatabase> {
  sqliteTemplate ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), "lk-test-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "template.db");
    const template = openDatabase(`sqlite:${path}`);
    await migrateToLatest(template.db);
    await template.close();
    return path;
  })();
  const templatePath = await sqliteTemplate;
  const path = templatePath.replace(/template\.db$/, `${randomBytes(6).toString("hex")}.db`);
  copyFileSync(templatePath, path);
  const url = `sqlite:${path}`;
  const database = openDatabase(url);
  return {
    ...database,
    url,
    close: async () => {
      await database.close();
      for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
    },
  };
}

function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** One migrated template per test process; each test clones it (CREATE DATABASE ... TEMPLATE is a file copy). */
function preparePostgresTemplate(): Promise<string> {
  postgresTemplate ??= (async () => {
    const name = `lk_tpl_${process.pid}_${randomBytes(4).toString("hex")}`;
    await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
    const template = openDatabase(databaseUrl(name));
    await migrateToLatest(template.db);
    await template.close();
    process.once("beforeExit", () => {
      void withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(
        () => {},
      );
    });
    return name;
  })();
  return postgresTemplate;
}

async function createPostgresDatabase(): Promise<TestDatabase> {
  const template = await preparePostgresTemplate();
  const name = `lk_test_${randomBytes(8).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return openPostgresTestDatabase(name);
}

function openPostgresTestDatabase(name: string): TestDatabase {
  const url = databaseUrl(name);
  const database = openDatabase(url);
  return {
    ...database,
    url,
    close: async () => {
      await database.close();
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

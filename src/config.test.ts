import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, loadConfig, parseDuration } from "./config.ts";

describe("configuration", () => {
  it("has the operator contract's defaults with no environment at all", () => {
    const config = loadConfig({});
    assert.equal(config.mode, "test");
    assert.equal(config.host, "127.0.0.1");
    assert.equal(config.port, 3000);
    assert.equal(config.databaseUrl, "sqlite:./data/lk-test.db");
    assert.equal(config.publicUrl, "http://127.0.0.1:3000");
    assert.equal(config.secureCookies, false);
    assert.equal(config.smtpUrl, undefined);
    assert.equal(config.outboxDir, "./data/outbox-test");
    assert.equal(config.mailFrom, "no-reply@localhost");
    assert.equal(config.supportEmail, "support@belassist.by");
    assert.equal(config.resetLinkTtlMs, 30 * 60_000);
    assert.equal(config.sessionIdleMs, 15 * 60_000);
    assert.equal(config.sessionMaxMs, 8 * 3_600_000);
    assert.equal(config.lockoutThreshold, 10);
    assert.equal(config.lockoutDurationMs, 30 * 60_000);
  });

  it("treats empty variables as unset", () => {
    const config = loadConfig({ LK_MODE: "", LK_PORT: "", LK_SESSION_IDLE: "" });
    assert.equal(config.mode, "test");
    assert.equal(config.port, 3000);
    assert.equal(config.sessionIdleMs, 15 * 60_000);
  });

  it("derives the public URL from host and port and strips a trailing slash", () => {
    assert.equal(loadConfig({ LK_HOST: "0.0.0.0", LK_PORT: "8080" }).publicUrl, "http://0.0.0.0:8080");
    assert.equal(
      loadConfig({ LK_PUBLIC_URL: "http://cabinet.example/" }).publicUrl,
      "http://cabinet.example",
    );
  });

  it("keeps test and production databases and outboxes apart by default", () => {
    const production = loadConfig({
      LK_MODE: "production",
      LK_PUBLIC_URL: "https://account.example",
      LK_SMTP_URL: "smtp://mail.example:25",
    });
    assert.equal(production.databaseUrl, "sqlite:./data/lk-production.db");
    assert.equal(production.outboxDir, "./data/outbox-production");
  });

  it("reads durations as seconds or with a unit", () => {
    assert.equal(parseDuration("45s"), 45_000);
    assert.equal(parseDuration("30m"), 1_800_000);
    assert.equal(parseDuration("2h"), 7_200_000);
    assert.equal(parseDuration("90"), 90_000);
    assert.equal(parseDuration(" 10m "), 600_000);
    assert.equal(loadConfig({ LK_RESET_LINK_TTL: "45s" }).resetLinkTtlMs, 45_000);
    assert.equal(loadConfig({ LK_RESET_LINK_TTL: "120" }).resetLinkTtlMs, 120_000);
    assert.equal(loadConfig({ LK_SESSION_IDLE: "5m", LK_SESSION_MAX: "2h" }).sessionIdleMs, 300_000);
    assert.equal(loadConfig({ LK_SESSION_IDLE: "5m", LK_SESSION_MAX: "2h" }).sessionMaxMs, 7_200_000);
  });

  it("rejects durations it cannot read, naming the variable", () => {
    for (const text of ["soon", "30 minutes", "-5m", "0", "1.5h", "m"]) {
      assert.equal(parseDuration(text), undefined, text);
    }
    assert.throws(
      () => loadConfig({ LK_RESET_LINK_TTL: "soon" }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.includes("LK_RESET_LINK_TTL") &&
        error.message.includes('"soon"'),
    );
  });

  it("rejects an unknown mode and a bad port", () => {
    assert.throws(() => loadConfig({ LK_MODE: "staging" }), /LK_MODE/);
    assert.throws(() => loadConfig({ LK_PORT: "70000" }), /LK_PORT/);
    assert.throws(() => loadConfig({ LK_PORT: "abc" }), /LK_PORT/);
  });

  it("refuses production without LK_PUBLIC_URL and LK_SMTP_URL, naming what is missing", () => {
    assert.throws(
      () => loadConfig({ LK_MODE: "production" }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.includes("LK_PUBLIC_URL") &&
        error.message.includes("LK_SMTP_URL"),
    );
    assert.throws(
      () => loadConfig({ LK_MODE: "production", LK_SMTP_URL: "smtp://mail.example" }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.includes("LK_PUBLIC_URL") &&
        !error.message.includes("LK_SMTP_URL"),
    );
    assert.throws(
      () => loadConfig({ LK_MODE: "production", LK_PUBLIC_URL: "https://account.example" }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.includes("LK_SMTP_URL") &&
        !error.message.includes("LK_PUBLIC_URL"),
    );
  });

  it("starts production with both, and test mode without them", () => {
    const production = loadConfig({
      LK_MODE: "production",
      LK_PUBLIC_URL: "https://account.example",
      LK_SMTP_URL: "smtps://user:secret@mail.example:465",
    });
    assert.equal(production.mode, "production");
    assert.equal(production.smtpUrl, "smtps://user:secret@mail.example:465");
    assert.doesNotThrow(() => loadConfig({ LK_MODE: "test" }));
  });

  it("turns on secure cookies only for an https public URL", () => {
    assert.equal(loadConfig({ LK_PUBLIC_URL: "https://account.demo.example" }).secureCookies, true);
    assert.equal(loadConfig({ LK_PUBLIC_URL: "http://account.demo.example" }).secureCookies, false);
  });

  it("rejects a public URL or SMTP URL of the wrong kind", () => {
    assert.throws(() => loadConfig({ LK_PUBLIC_URL: "ftp://example.com" }), /LK_PUBLIC_URL/);
    assert.throws(() => loadConfig({ LK_SMTP_URL: "http://mail.example" }), /LK_SMTP_URL/);
  });

  it("reports every problem at once", () => {
    assert.throws(
      () => loadConfig({ LK_SESSION_IDLE: "x", LK_LOCKOUT_THRESHOLD: "0" }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.includes("LK_SESSION_IDLE") &&
        error.message.includes("LK_LOCKOUT_THRESHOLD"),
    );
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLimiter, createPasswordHasher, OWASP_ARGON2 } from "./password-hasher.ts";

describe("password hasher (argon2id)", () => {
  const hasher = createPasswordHasher(OWASP_ARGON2);

  it("verifies the password it hashed and refuses another", async () => {
    const hash = await hasher.hash("Secret123");
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.ok(!hash.includes("Secret123"));
    assert.equal(await hasher.verify(hash, "Secret123"), true);
    assert.equal(await hasher.verify(hash, "secret123"), false);
    assert.equal(await hasher.verify(hash, ""), false);
  });

  it("salts every hash", async () => {
    const [a, b] = await Promise.all([hasher.hash("Secret123"), hasher.hash("Secret123")]);
    assert.notEqual(a, b);
  });

  it("uses the configured parameters", async () => {
    const light = createPasswordHasher({ memoryKib: 1024, timeCost: 1, parallelism: 1 });
    const hash = await light.hash("Secret123");
    assert.match(hash, /^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    assert.equal(await light.verify(hash, "Secret123"), true);
  });

  it("answers false for a malformed stored hash instead of throwing", async () => {
    for (const broken of ["", "not-a-hash", "$argon2id$v=19$m=19456,t=2,p=1$", "$2b$10$abcdefghijklmnop"]) {
      assert.equal(await hasher.verify(broken, "Secret123"), false, broken);
    }
  });

  it("spends a verify on unknown logins without failing", async () => {
    await assert.doesNotReject(hasher.verifyDummy("Secret123"));
    await assert.doesNotReject(hasher.verifyDummy(""));
    assert.equal(await hasher.verifyDummy("x"), undefined);
  });
});

describe("createLimiter", () => {
  it("never runs more than its limit at once and keeps arrival order", async () => {
    const limit = createLimiter(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (id: number) =>
      limit(async () => {
        started.push(id);
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
        return id;
      });
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map(task));
    assert.deepEqual(results, [1, 2, 3, 4, 5, 6]);
    assert.equal(peak, 2);
    assert.deepEqual(started, [1, 2, 3, 4, 5, 6]);
  });

  it("frees the slot when a task fails", async () => {
    const limit = createLimiter(1);
    await assert.rejects(limit(() => Promise.reject(new Error("boom"))));
    assert.equal(await limit(async () => "next"), "next");
  });
});

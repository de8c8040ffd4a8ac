// «Также пароль не может повторять ни один из последних трех паролей, использованных ранее для этой учетной записи.»
// History is checked against stored argon2id hashes, so these run on both dialects with a real database.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS } from "../db/test-database.ts";
import { createTestApp, seedUser, type TestApp } from "../testing/test-app.ts";
import { findUserById } from "../users/users.repository.ts";
import { applyPasswordChange, checkPasswordForm } from "./password-change.service.ts";
import { findRecentPasswordHashes } from "./password-history.repository.ts";
import { checkPasswordShape, SEED_POLICY } from "./password-policy.ts";
import { checkNewPassword, generateTemporaryPassword, policyFromConfig } from "./passwords.service.ts";

// Cheap argon2id parameters: these tests are about which hashes are compared, not about their cost.
const FAST_HASH = { LK_ARGON2_MEMORY_KIB: "1024", LK_ARGON2_TIME_COST: "1" };

const A = "Alpha1111";
const B = "Bravo2222";
const C = "Charlie333";
const D = "Delta4444";

/** Seeds an account with password A, then sets B, C and D the way every password-setting path does. */
async function accountWithPasswords(t: TestApp, passwords: string[]) {
  const seeded = await seedUser(t.ctx, { password: passwords[0] });
  for (const password of passwords.slice(1)) {
    const user = (await findUserById(t.ctx.db, seeded.user.id))!;
    const passwordHash = await t.ctx.hasher.hash(password);
    await t.ctx.db
      .transaction()
      .execute((trx) =>
        applyPasswordChange(trx, t.ctx, { user, passwordHash, via: "settings", ip: "127.0.0.1" }),
      );
  }
  return seeded.user.id;
}

for (const dialect of DIALECTS) {
  describe(`password history (${dialect})`, () => {
    let seedApp: TestApp;
    let pciApp: TestApp;
    before(async () => {
      seedApp = await createTestApp(dialect, FAST_HASH);
      pciApp = await createTestApp(dialect, { ...FAST_HASH, LK_PASSWORD_HISTORY: "4" });
    });
    after(async () => {
      await seedApp.close();
      await pciApp.close();
    });

    const check = (t: TestApp, userId: number, password: string) =>
      checkNewPassword(
        { db: t.ctx.db, hasher: t.ctx.hasher, policy: policyFromConfig(t.ctx.config) },
        userId,
        password,
      );

    it("«не может повторять ни один из последних трех паролей»: the current one and the two before are refused, the fourth-last is allowed", async () => {
      const userId = await accountWithPasswords(seedApp, [A, B, C, D]);
      assert.deepEqual(await check(seedApp, userId, D), ["history"], "the current password");
      assert.deepEqual(await check(seedApp, userId, C), ["history"], "the one before");
      assert.deepEqual(await check(seedApp, userId, B), ["history"], "the third-last");
      assert.deepEqual(await check(seedApp, userId, A), [], "the fourth-last is allowed");
      assert.deepEqual(await check(seedApp, userId, "Echo55555"), [], "a new password");
    });

    it("a password used by another account is no concern of this one's history", async () => {
      const other = await accountWithPasswords(seedApp, [A]);
      const userId = await accountWithPasswords(seedApp, [B]);
      assert.deepEqual(await check(seedApp, other, A), ["history"]);
      assert.deepEqual(await check(seedApp, userId, A), []);
    });

    it("the history rule is reported together with nothing else, and not at all for a malformed password", async () => {
      const userId = await accountWithPasswords(seedApp, [A]);
      assert.deepEqual(await check(seedApp, userId, A), ["history"]);
      assert.deepEqual(await check(seedApp, userId, `${A}!`), ["charset"]);
    });

    it("with LK_PASSWORD_HISTORY=4 (PCI DSS v4) the fourth-last is refused too, the fifth-last allowed", async () => {
      const userId = await accountWithPasswords(pciApp, [A, B, C, D]);
      for (const password of [A, B, C, D]) {
        assert.deepEqual(await check(pciApp, userId, password), ["history"], password);
      }
      const longer = await accountWithPasswords(pciApp, [A, B, C, D, "Echo55555"]);
      assert.deepEqual(await check(pciApp, longer, A), [], "the fifth-last");
      assert.deepEqual(await check(pciApp, longer, B), ["history"], "the fourth-last");
    });

    it("every change adds the new password to the history, newest first", async () => {
      const userId = await accountWithPasswords(seedApp, [A, B, C]);
      const hashes = await findRecentPasswordHashes(seedApp.ctx.db, userId, 10);
      assert.equal(hashes.length, 3);
      assert.equal(await seedApp.ctx.hasher.verify(hashes[0]!, C), true);
      assert.equal(await seedApp.ctx.hasher.verify(hashes[2]!, A), true);
      const user = await findUserById(seedApp.ctx.db, userId);
      assert.equal(await seedApp.ctx.hasher.verify(user!.password_hash, C), true);
    });

    it("the form check adds a mismatched repetition and an empty field to the rules", async () => {
      const userId = await accountWithPasswords(seedApp, [A]);
      const form = (password: string, repeat: string) =>
        checkPasswordForm(seedApp.ctx, { userId, password, repeat });
      assert.deepEqual(await form("", ""), ["required"]);
      assert.deepEqual(await form("Echo55555", ""), ["required"]);
      assert.deepEqual(await form("Echo55555", "Echo55556"), ["mismatch"]);
      assert.deepEqual(await form(A, A), ["history"]);
      assert.deepEqual(await form("short", "shorter"), ["length", "letterAndDigit", "mismatch"]);
      assert.deepEqual(await form("Echo55555", "Echo55555"), []);
    });
  });
}

describe("generateTemporaryPassword", () => {
  it("always passes the seed's rules and differs each time", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i += 1) {
      const password = generateTemporaryPassword(SEED_POLICY);
      assert.deepEqual(checkPasswordShape(password, SEED_POLICY), [], password);
      seen.add(password);
    }
    assert.equal(seen.size, 200);
  });

  it("fits a configured policy: at least its minimum, at most its maximum", () => {
    const pci = { minLength: 12, maxLength: 20, history: 4 };
    assert.deepEqual(checkPasswordShape(generateTemporaryPassword(pci), pci), []);
    const tight = { minLength: 8, maxLength: 10, history: 3 };
    const password = generateTemporaryPassword(tight);
    assert.equal(password.length, 10);
    assert.deepEqual(checkPasswordShape(password, tight), []);
    const long = { minLength: 24, maxLength: 30, history: 3 };
    assert.equal(generateTemporaryPassword(long).length, 24);
  });

  it("avoids characters that are easy to misread when dictated (0/O, 1/l/I)", () => {
    for (let i = 0; i < 100; i += 1) {
      assert.doesNotMatch(generateTemporaryPassword(SEED_POLICY), /[0O1lI]/);
    }
  });
});

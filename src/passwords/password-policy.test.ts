// The seed's password rules, checked at their boundaries without a database:
// «Пароль может иметь длину от 8 до 20 символов включительно и содержать символы латинского алфавита
//  (прописные и строчные) и цифры. Одновременное наличие в пароле как буквенных, так и цифровых символов обязательно.»
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkPassword, checkPasswordShape, type PasswordPolicy, SEED_POLICY } from "./password-policy.ts";

const PCI_POLICY: PasswordPolicy = { minLength: 12, maxLength: 20, history: 4 };

/** A Latin letter-and-digit password of exactly `length` characters. */
function ofLength(length: number): string {
  return `a1${"b".repeat(length - 2)}`;
}

describe("password rules (seed)", () => {
  it("the seed's defaults are 8 to 20 characters and the last three passwords", () => {
    assert.deepEqual(SEED_POLICY, { minLength: 8, maxLength: 20, history: 3 });
  });

  describe("«Пароль может иметь длину от 8 до 20 символов включительно»", () => {
    it("7 characters fail on length only", () => {
      assert.equal(ofLength(7).length, 7);
      assert.deepEqual(checkPasswordShape(ofLength(7), SEED_POLICY), ["length"]);
    });
    it("8 characters pass", () => {
      assert.deepEqual(checkPasswordShape(ofLength(8), SEED_POLICY), []);
      assert.deepEqual(checkPasswordShape("Abcdefg1", SEED_POLICY), []);
    });
    it("20 characters pass", () => {
      assert.deepEqual(checkPasswordShape(ofLength(20), SEED_POLICY), []);
    });
    it("21 characters fail on length only", () => {
      assert.deepEqual(checkPasswordShape(ofLength(21), SEED_POLICY), ["length"]);
    });
    it("an empty password fails on length and on letters-and-digits", () => {
      assert.deepEqual(checkPasswordShape("", SEED_POLICY), ["length", "letterAndDigit"]);
    });
  });

  describe("«содержать символы латинского алфавита (прописные и строчные) и цифры»", () => {
    it("upper- and lower-case Latin letters with digits pass", () => {
      assert.deepEqual(checkPasswordShape("ABCDEFGH1", SEED_POLICY), []);
      assert.deepEqual(checkPasswordShape("abcdefgh1", SEED_POLICY), []);
      assert.deepEqual(checkPasswordShape("0123456789XyZ", SEED_POLICY), []);
    });
    it("Cyrillic letters fail on the character set", () => {
      assert.deepEqual(checkPasswordShape("Pass1234Пароль", SEED_POLICY), ["charset"]);
      // One Cyrillic letter among Latin ones is enough to refuse it.
      assert.deepEqual(checkPasswordShape("Passw0rdЖ", SEED_POLICY), ["charset"]);
    });
    it("a Cyrillic character counts as one character, not two", () => {
      // 8 characters (7 Latin/digits + «ж»): length is fine, only the character set fails.
      assert.deepEqual(checkPasswordShape("abcdef1ж", SEED_POLICY), ["charset"]);
      // 21 characters with a Cyrillic one: too long as well.
      assert.deepEqual(checkPasswordShape(`${ofLength(20)}ж`, SEED_POLICY), ["length", "charset"]);
      // A non-BMP character is one character too.
      assert.deepEqual(checkPasswordShape("abcdef1😀", SEED_POLICY), ["charset"]);
    });
    it("punctuation fails on the character set", () => {
      for (const password of ["Passw0rd!", "Pass-w0rd", "Pass_w0rd", "Pass.w0rd1", "P@ssw0rd"]) {
        assert.deepEqual(checkPasswordShape(password, SEED_POLICY), ["charset"], password);
      }
    });
    it("spaces fail on the character set, wherever they are", () => {
      for (const password of ["Pass w0rd", " Passw0rd", "Passw0rd ", "Passw0rd\t"]) {
        assert.deepEqual(checkPasswordShape(password, SEED_POLICY), ["charset"], JSON.stringify(password));
      }
    });
    it("accented Latin letters and full-width digits are not in the allowed set", () => {
      assert.deepEqual(checkPasswordShape("Passwörd1", SEED_POLICY), ["charset"]);
      assert.deepEqual(checkPasswordShape("Password１", SEED_POLICY), ["charset", "letterAndDigit"]);
    });
  });

  describe("«Одновременное наличие в пароле как буквенных, так и цифровых символов обязательно»", () => {
    it("letters only fail on letters-and-digits only", () => {
      assert.deepEqual(checkPasswordShape("abcdefgh", SEED_POLICY), ["letterAndDigit"]);
      assert.deepEqual(checkPasswordShape("ABCDEFGHIJ", SEED_POLICY), ["letterAndDigit"]);
    });
    it("digits only fail on letters-and-digits only", () => {
      assert.deepEqual(checkPasswordShape("12345678", SEED_POLICY), ["letterAndDigit"]);
      assert.deepEqual(checkPasswordShape("12345678901234567890", SEED_POLICY), ["letterAndDigit"]);
    });
    it("Cyrillic letters do not count as the required letter", () => {
      assert.deepEqual(checkPasswordShape("жжжж1234", SEED_POLICY), ["charset", "letterAndDigit"]);
    });
  });

  it("every failed rule is named, and only those", () => {
    // Short, with punctuation, without a digit.
    assert.deepEqual(checkPasswordShape("ab!", SEED_POLICY), ["length", "charset", "letterAndDigit"]);
    // Long, with a space, letters and digits present.
    assert.deepEqual(checkPasswordShape(`${ofLength(20)} `, SEED_POLICY), ["length", "charset"]);
    // Short digits only.
    assert.deepEqual(checkPasswordShape("1234", SEED_POLICY), ["length", "letterAndDigit"]);
  });

  describe("a PCI DSS v4 policy configured by the operator (12 to 20, last four)", () => {
    it("11 characters fail, 12 pass, 20 pass, 21 fail", () => {
      assert.deepEqual(checkPasswordShape(ofLength(11), PCI_POLICY), ["length"]);
      assert.deepEqual(checkPasswordShape(ofLength(12), PCI_POLICY), []);
      assert.deepEqual(checkPasswordShape(ofLength(20), PCI_POLICY), []);
      assert.deepEqual(checkPasswordShape(ofLength(21), PCI_POLICY), ["length"]);
    });
    it("the seed's character rules still apply", () => {
      assert.deepEqual(checkPasswordShape("abcdefghijkl", PCI_POLICY), ["letterAndDigit"]);
      assert.deepEqual(checkPasswordShape("abcdefghijk!1", PCI_POLICY), ["charset"]);
    });
  });

  describe("checkPassword with the account's history", () => {
    it("names the history rule when the password matches one of the recent passwords", async () => {
      const seen: string[] = [];
      const failed = await checkPassword("Passw0rd1", SEED_POLICY, async (candidate) => {
        seen.push(candidate);
        return true;
      });
      assert.deepEqual(failed, ["history"]);
      assert.deepEqual(seen, ["Passw0rd1"]);
    });
    it("passes a valid password that is not in the history", async () => {
      assert.deepEqual(await checkPassword("Passw0rd1", SEED_POLICY, async () => false), []);
    });
    it("does not consult the history (no hashing) when the shape already fails", async () => {
      let asked = false;
      const failed = await checkPassword("short1", SEED_POLICY, async () => {
        asked = true;
        return true;
      });
      assert.deepEqual(failed, ["length"]);
      assert.equal(asked, false);
    });
    it("without a history (a new account) only the shape counts", async () => {
      assert.deepEqual(await checkPassword("Passw0rd1", SEED_POLICY), []);
      assert.deepEqual(await checkPassword("Passw0rd!", SEED_POLICY), ["charset"]);
    });
  });
});

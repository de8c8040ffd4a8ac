import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CATALOGUES, countInWords, formatDuration, plural, t } from "./i18n.ts";

describe("i18n catalogues", () => {
  it("have the same keys in Russian and English, none empty", () => {
    const ruKeys = Object.keys(CATALOGUES.ru).sort();
    const enKeys = Object.keys(CATALOGUES.en).sort();
    assert.deepEqual(enKeys, ruKeys);
    for (const language of ["ru", "en"] as const) {
      for (const [key, text] of Object.entries(CATALOGUES[language])) {
        assert.ok(text.trim().length > 0, `${language}.${key} is empty`);
      }
    }
  });

  it("use the same placeholders in both languages", () => {
    for (const key of Object.keys(CATALOGUES.ru) as (keyof typeof CATALOGUES.ru)[]) {
      const names = (text: string) => [...new Set(text.match(/\{\w+\}/g) ?? [])].sort();
      assert.deepEqual(names(CATALOGUES.en[key]), names(CATALOGUES.ru[key]), key);
    }
  });

  it("fills placeholders", () => {
    assert.equal(t("en", "home.welcome", { name: "Anna" }), "Welcome, Anna");
  });
});

describe("plurals", () => {
  it("choose Russian forms through Intl.PluralRules", () => {
    assert.equal(plural("ru", "unit.minute", 1), "1 минуту");
    assert.equal(plural("ru", "unit.minute", 2), "2 минуты");
    assert.equal(plural("ru", "unit.minute", 5), "5 минут");
    assert.equal(plural("ru", "unit.minute", 11), "11 минут");
    assert.equal(plural("ru", "unit.minute", 21), "21 минуту");
    assert.equal(plural("ru", "unit.minute", 22), "22 минуты");
    assert.equal(plural("en", "unit.minute", 1), "1 minute");
    assert.equal(plural("en", "unit.minute", 30), "30 minutes");
  });

  it("words durations in both cases", () => {
    assert.equal(formatDuration("ru", 30 * 60_000, "genitive"), "30 минут");
    assert.equal(formatDuration("ru", 60_000, "genitive"), "1 минуты");
    assert.equal(formatDuration("ru", 21 * 60_000, "genitive"), "21 минуты");
    assert.equal(formatDuration("ru", 2 * 3_600_000, "genitive"), "2 часов");
    assert.equal(formatDuration("ru", 90 * 60_000), "1 час 30 минут");
    assert.equal(formatDuration("ru", 45_000), "45 секунд");
    assert.equal(formatDuration("en", 30 * 60_000, "genitive"), "30 minutes");
    assert.equal(formatDuration("en", 3_600_000), "1 hour");
  });

  it("words the history count as the seed does", () => {
    assert.equal(countInWords("ru", 3), "трех");
    assert.equal(countInWords("ru", 4), "четырех");
    assert.equal(countInWords("en", 3), "3");
  });
});

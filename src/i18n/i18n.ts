import type { Language } from "../users/users.table.ts";
import { en } from "./en.ts";
import { ru } from "./ru.ts";

export type { Language };
export type MessageKey = keyof typeof ru;
export type Params = Record<string, string | number>;

export const LANGUAGES: readonly Language[] = ["ru", "en"];
export const CATALOGUES: Record<Language, Record<MessageKey, string>> = { ru, en };

export function isLanguage(value: unknown): value is Language {
  return value === "ru" || value === "en";
}

function fill(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The message for `key` in `language`, with `{name}` placeholders filled from `params`. */
export function t(language: Language, key: MessageKey, params: Params = {}): string {
  return fill(CATALOGUES[language][key], params);
}

// Plural categories in the order the catalogues list forms: ru one|few|many, en one|other.
const FORM_ORDER: Record<Language, Intl.LDMLPluralRule[]> = {
  ru: ["one", "few", "many"],
  en: ["one", "other"],
};
const pluralRules = { ru: new Intl.PluralRules("ru"), en: new Intl.PluralRules("en") };

/** Counts in words with the right plural form: «1 минуту», «2 минуты», «5 минут». */
export function plural(language: Language, key: MessageKey, n: number): string {
  const forms = CATALOGUES[language][key].split("|");
  const index = FORM_ORDER[language].indexOf(pluralRules[language].select(n));
  return fill(forms[index] ?? forms[forms.length - 1]!, { n });
}

export type DurationCase = "accusative" | "genitive";

const UNITS = [
  { ms: 86_400_000, key: "day" },
  { ms: 3_600_000, key: "hour" },
  { ms: 60_000, key: "minute" },
  { ms: 1000, key: "second" },
] as const;

/**
 * A duration in words, in the largest units that divide it exactly: "30 минут", "1 час 30 минут", "45 seconds".
 * Russian needs the genitive after «в течение» and the accusative after «через» / «на».
 */
export function formatDuration(
  language: Language,
  ms: number,
  grammaticalCase: DurationCase = "accusative",
): string {
  let rest = Math.max(1000, Math.round(ms / 1000) * 1000);
  const parts: string[] = [];
  for (const unit of UNITS) {
    const count = Math.floor(rest / unit.ms);
    if (count === 0) continue;
    rest -= count * unit.ms;
    const key =
      grammaticalCase === "genitive" ? (`unit.gen.${unit.key}` as const) : (`unit.${unit.key}` as const);
    parts.push(plural(language, key, count));
  }
  return parts.join(" ");
}

const RU_GENITIVE_NUMBERS = [
  "",
  "одного",
  "двух",
  "трех",
  "четырех",
  "пяти",
  "шести",
  "семи",
  "восьми",
  "девяти",
  "десяти",
];

/** «последних трех паролей» as the seed words it; English and larger numbers use digits. */
export function countInWords(language: Language, n: number): string {
  return language === "ru" && n < RU_GENITIVE_NUMBERS.length && n > 0 ? RU_GENITIVE_NUMBERS[n]! : String(n);
}

/** A moment as a person reads it, in their language; the zone is the server's unless one is given. */
export function formatDateTime(language: Language, epochMs: number, timeZone?: string): string {
  return new Intl.DateTimeFormat(language === "ru" ? "ru-RU" : "en-GB", {
    dateStyle: "long",
    timeStyle: "short",
    timeZone,
  }).format(new Date(epochMs));
}

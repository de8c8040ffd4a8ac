// Argument parsing for `lk` (PRODUCT.md "Operator contract"): pure, no configuration and no database, so a bad
// command line is refused before anything is opened or written.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { ALL_RIGHTS, isRight, type Right } from "../users/rights.ts";
import type { Language } from "../users/users.table.ts";

export type ParsedCommand =
  | {
      name: "users add";
      login: string;
      email: string;
      password: string;
      temporary: boolean;
      language: Language;
      /** Absent: the command picks the default merchant (see commands.ts resolveMerchant). */
      merchant?: string;
      /** Absent: the default rights; present (even empty): exactly these. */
      rights?: Right[];
    }
  | { name: "users list" }
  | { name: "users block"; login: string }
  | { name: "users unblock"; login: string }
  | { name: "rights list" }
  | { name: "migrate" };

export type CommandName = ParsedCommand["name"];

export type ParseResult =
  | { kind: "help"; text: string }
  /** `usage` is the short hint shown if the command itself then refuses (unknown user, password rule, ...). */
  | { kind: "run"; command: ParsedCommand; usage: string }
  | { kind: "invalid"; problems: string[]; usage: string };

type Options = NonNullable<ParseArgsConfig["options"]>;

interface CommandSpec {
  synopsis: string;
  summary: string;
  options: Options;
  /** Name of the one positional argument the command takes, if any. */
  positional?: string;
}

const COMMANDS: Record<CommandName, CommandSpec> = {
  "users add": {
    synopsis:
      "lk users add --login L --email E --password P [--temporary] [--language ru|en] [--merchant NAME] [--rights r1,r2]",
    summary:
      "Create an active user, and its enterprise and merchant NAME when missing. The password must pass the " +
      "password rules; --temporary makes it one-time (changed at first sign-in). --rights replaces the default " +
      'rights (change-own-password); --rights "" grants none. Default language: ru. Default merchant: the ' +
      'only enterprise of the instance, or "Demo shop" when there is none.',
    options: {
      login: { type: "string" },
      email: { type: "string" },
      password: { type: "string" },
      temporary: { type: "boolean" },
      language: { type: "string" },
      merchant: { type: "string" },
      rights: { type: "string" },
    },
  },
  "users list": {
    synopsis: "lk users list",
    summary: "Show every user: login, e-mail, language, status, temporary password, enterprise, rights.",
    options: {},
  },
  "users block": {
    synopsis: "lk users block LOGIN",
    summary: "Block a user (login case-insensitive) and end all of the user's sessions.",
    options: {},
    positional: "LOGIN",
  },
  "users unblock": {
    synopsis: "lk users unblock LOGIN",
    summary: "Make a user active again and lift a temporary lockout after failed sign-ins.",
    options: {},
    positional: "LOGIN",
  },
  "rights list": {
    synopsis: "lk rights list",
    summary: "List the rights: one per line, identifier first, then its description.",
    options: {},
  },
  migrate: {
    synopsis: "lk migrate",
    summary: "Apply pending database migrations and name them.",
    options: {},
  },
};

const GROUPS: Record<string, string[]> = {
  users: ["add", "list", "block", "unblock"],
  rights: ["list"],
};

export const GENERAL_HINT = 'Run "lk help" for every command and option.';

/** The full help text of `lk help` / `lk --help`. */
export function usageText(): string {
  const commands = Object.values(COMMANDS).flatMap((spec) => [
    `  ${spec.synopsis}`,
    ...wrap(spec.summary, 100).map((line) => `      ${line}`),
  ]);
  return [
    "Usage: lk <command> [options]",
    "",
    "Commands:",
    ...commands,
    "  lk help",
    "      Show this help. `lk <command> --help` shows the help of one command.",
    "",
    "Every command applies pending database migrations first. Configuration comes from the same environment",
    "as the server: LK_MODE (test|production), LK_DATABASE_URL (sqlite:PATH or postgres://...), the password",
    "rules (LK_PASSWORD_MIN_LENGTH, LK_PASSWORD_MAX_LENGTH, LK_PASSWORD_HISTORY) and argon2 settings.",
    "",
    "Exit codes: 0 done; 2 bad arguments or configuration (nothing written); 1 other failure (e.g. database unreachable).",
  ].join("\n");
}

function commandUsage(name: CommandName): string {
  const spec = COMMANDS[name];
  return [`Usage: ${spec.synopsis}`, ...wrap(spec.summary, 100).map((line) => `  ${line}`)].join("\n");
}

function shortUsage(name?: CommandName): string {
  const synopsis = name ? `Usage: ${COMMANDS[name].synopsis}\n` : "";
  return `${synopsis}${GENERAL_HINT}`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

const isHelpFlag = (arg: string | undefined) => arg === "--help" || arg === "-h";

/** Turns `process.argv.slice(2)` into a command to run, a help text to print, or every problem found. */
export function parseCommandLine(argv: readonly string[]): ParseResult {
  const [first, second] = argv;
  if (first === undefined) return invalid(["missing command"]);
  if (first === "help" || isHelpFlag(first)) return helpFor(argv.slice(1));

  let name: CommandName;
  let rest: string[];
  if (first in GROUPS) {
    const subcommands = GROUPS[first]!;
    if (second === undefined || isHelpFlag(second)) {
      return second === undefined
        ? invalid([`"lk ${first}" needs a subcommand: ${subcommands.join(", ")}`])
        : { kind: "help", text: groupUsage(first) };
    }
    if (!subcommands.includes(second)) {
      return invalid([`unknown command "${first} ${second}" (${first} commands: ${subcommands.join(", ")})`]);
    }
    name = `${first} ${second}` as CommandName;
    rest = argv.slice(2);
  } else if (first === "migrate") {
    name = "migrate";
    rest = argv.slice(1);
  } else {
    return invalid([`unknown command "${first}"`]);
  }
  return parseCommand(name, rest);
}

function helpFor(words: readonly string[]): ParseResult {
  const wanted = words.join(" ");
  if (wanted === "") return { kind: "help", text: usageText() };
  if (wanted in COMMANDS) return { kind: "help", text: commandUsage(wanted as CommandName) };
  if (wanted in GROUPS) return { kind: "help", text: groupUsage(wanted) };
  return invalid([`unknown command "${wanted}"`]);
}

function groupUsage(group: string): string {
  return GROUPS[group]!.map((sub) => commandUsage(`${group} ${sub}` as CommandName)).join("\n\n");
}

function invalid(problems: string[], name?: CommandName): ParseResult {
  return { kind: "invalid", problems, usage: shortUsage(name) };
}

function parseCommand(name: CommandName, args: string[]): ParseResult {
  const spec = COMMANDS[name];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: { ...spec.options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: spec.positional !== undefined,
      tokens: true,
    });
  } catch (error) {
    return invalid([describeParseError(error, spec)], name);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return { kind: "help", text: commandUsage(name) };

  const problems: string[] = [];
  // parseArgs keeps the last of repeated options silently; an operator who typed two values meant something else.
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== "option") continue;
    if (seen.has(token.name)) problems.push(`--${token.name} is given more than once`);
    seen.add(token.name);
  }
  const positionals = parsed.positionals;
  if (spec.positional !== undefined) {
    if (positionals.length === 0) problems.push(`missing ${spec.positional}`);
    for (const extra of positionals.slice(1)) problems.push(`unexpected argument "${extra}"`);
  }

  const command = buildCommand(name, values, positionals[0] ?? "", problems);
  if (problems.length > 0 || command === undefined) return invalid(problems, name);
  return { kind: "run", command, usage: shortUsage(name) };
}

function buildCommand(
  name: CommandName,
  values: Record<string, string | boolean | undefined>,
  positional: string,
  problems: string[],
): ParsedCommand | undefined {
  switch (name) {
    case "users add":
      return buildUsersAdd(values, problems);
    case "users block":
    case "users unblock":
      return { name, login: positional };
    default:
      return { name };
  }
}

function buildUsersAdd(
  values: Record<string, string | boolean | undefined>,
  problems: string[],
): ParsedCommand | undefined {
  const text = (option: string) => values[option] as string | undefined;
  for (const required of ["login", "email", "password"]) {
    if (text(required) === undefined) problems.push(`missing required option --${required}`);
  }
  const language = text("language") ?? "ru";
  if (language !== "ru" && language !== "en") {
    problems.push(`--language must be ru or en (got "${language}")`);
  }
  const rights = parseRights(text("rights"), problems);
  if (problems.length > 0) return undefined;
  return {
    name: "users add",
    login: text("login")!,
    email: text("email")!,
    password: text("password")!,
    temporary: values.temporary === true,
    language: language as Language,
    merchant: text("merchant"),
    rights,
  };
}

/** `--rights a,b` → exactly those; `--rights ""` → none; absent → undefined (the defaults apply). */
function parseRights(value: string | undefined, problems: string[]): Right[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const rights: Right[] = [];
  for (const name of names) {
    if (!isRight(name)) {
      problems.push(`unknown right "${name}" (known rights: ${ALL_RIGHTS.join(", ")}; see "lk rights list")`);
    } else if (!rights.includes(name)) rights.push(name);
  }
  return rights;
}

/** parseArgs' own messages talk about "positional arguments" and quoting; operators get a plain sentence. */
function describeParseError(error: unknown, spec: CommandSpec): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as Error & { code?: string }).code;
  const quoted = /'(-{1,2}[^' <=]+)/.exec(error.message)?.[1];
  const unexpected = /argument '([^']*)'/.exec(error.message)?.[1];
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${quoted ?? error.message}`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument "${unexpected ?? error.message}"`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const option = quoted?.replace(/^-+/, "");
      if (option && spec.options[option]?.type === "boolean") return `--${option} does not take a value`;
      if (option)
        return `--${option} needs a value (write --${option}=VALUE for a value that starts with "-")`;
      return error.message;
    }
    default:
      return error.message;
  }
}

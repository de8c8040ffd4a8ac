import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type ParseResult, parseCommandLine } from "./cli-args.ts";

function problemsOf(result: ParseResult): string[] {
  assert.equal(result.kind, "invalid", JSON.stringify(result));
  return result.kind === "invalid" ? result.problems : [];
}

function commandOf(result: ParseResult) {
  assert.equal(result.kind, "run", JSON.stringify(result));
  if (result.kind !== "run") throw new Error("unreachable");
  return result.command;
}

const ADD = ["users", "add", "--login", "ann", "--email", "ann@shop.example", "--password", "Passw0rd1"];

describe("lk argument parsing", () => {
  test("users add with only the required options: ru, own password, default rights and merchant", () => {
    assert.deepEqual(commandOf(parseCommandLine(ADD)), {
      name: "users add",
      login: "ann",
      email: "ann@shop.example",
      password: "Passw0rd1",
      temporary: false,
      language: "ru",
      merchant: undefined,
      rights: undefined,
    });
  });

  test("users add with every option, = syntax included", () => {
    const command = commandOf(
      parseCommandLine([
        ...ADD,
        "--temporary",
        "--language=en",
        "--merchant",
        "Shop One",
        "--rights",
        " manage-users,export ,manage-users",
      ]),
    );
    assert.deepEqual(command, {
      name: "users add",
      login: "ann",
      email: "ann@shop.example",
      password: "Passw0rd1",
      temporary: true,
      language: "en",
      merchant: "Shop One",
      rights: ["manage-users", "export"],
    });
  });

  test('--rights "" means no rights at all, not the defaults', () => {
    const command = commandOf(parseCommandLine([...ADD, "--rights", ""]));
    assert.equal(command.name, "users add");
    assert.deepEqual(command.name === "users add" && command.rights, []);
  });

  test("every missing required option is named, one problem per line", () => {
    assert.deepEqual(problemsOf(parseCommandLine(["users", "add"])), [
      "missing required option --login",
      "missing required option --email",
      "missing required option --password",
    ]);
  });

  test("unknown rights and a bad language are refused together", () => {
    const problems = problemsOf(
      parseCommandLine([...ADD, "--language", "de", "--rights", "export,root,admin"]),
    );
    assert.equal(problems.length, 3);
    assert.match(problems[0]!, /--language must be ru or en \(got "de"\)/);
    assert.match(problems[1]!, /unknown right "root"/);
    assert.match(problems[2]!, /unknown right "admin"/);
  });

  test("unknown options, values for flags, missing values and repeated options", () => {
    assert.deepEqual(problemsOf(parseCommandLine([...ADD, "--admin"])), ["unknown option --admin"]);
    assert.deepEqual(problemsOf(parseCommandLine([...ADD, "--temporary=yes"])), [
      "--temporary does not take a value",
    ]);
    assert.match(problemsOf(parseCommandLine(["users", "add", "--login"]))[0]!, /^--login needs a value/);
    assert.deepEqual(problemsOf(parseCommandLine([...ADD, "--login", "bob"])), [
      "--login is given more than once",
    ]);
    assert.deepEqual(problemsOf(parseCommandLine([...ADD, "extra"])), ['unexpected argument "extra"']);
  });

  test("block and unblock take exactly one login", () => {
    assert.deepEqual(commandOf(parseCommandLine(["users", "block", "Ann"])), {
      name: "users block",
      login: "Ann",
    });
    assert.deepEqual(commandOf(parseCommandLine(["users", "unblock", "ann"])), {
      name: "users unblock",
      login: "ann",
    });
    assert.deepEqual(problemsOf(parseCommandLine(["users", "block"])), ["missing LOGIN"]);
    assert.deepEqual(problemsOf(parseCommandLine(["users", "unblock", "a", "b"])), [
      'unexpected argument "b"',
    ]);
  });

  test("the other commands take no arguments", () => {
    assert.deepEqual(commandOf(parseCommandLine(["users", "list"])), { name: "users list" });
    assert.deepEqual(commandOf(parseCommandLine(["rights", "list"])), { name: "rights list" });
    assert.deepEqual(commandOf(parseCommandLine(["migrate"])), { name: "migrate" });
    assert.deepEqual(problemsOf(parseCommandLine(["migrate", "now"])), ['unexpected argument "now"']);
    assert.deepEqual(problemsOf(parseCommandLine(["rights", "list", "--all"])), ["unknown option --all"]);
  });

  test("unknown and incomplete commands", () => {
    assert.deepEqual(problemsOf(parseCommandLine([])), ["missing command"]);
    assert.deepEqual(problemsOf(parseCommandLine(["frobnicate"])), ['unknown command "frobnicate"']);
    assert.match(
      problemsOf(parseCommandLine(["users", "delete", "x"]))[0]!,
      /unknown command "users delete"/,
    );
    assert.match(
      problemsOf(parseCommandLine(["users"]))[0]!,
      /needs a subcommand: add, list, block, unblock/,
    );
  });

  test("a refused command line carries its usage and the pointer to lk help", () => {
    const result = parseCommandLine(["users", "add"]);
    assert.equal(result.kind, "invalid");
    assert.match(result.kind === "invalid" ? result.usage : "", /^Usage: lk users add --login L/);
    assert.match(result.kind === "invalid" ? result.usage : "", /lk help/);
  });

  test("help: lk help, lk --help, lk -h, per command and per group", () => {
    for (const argv of [["help"], ["--help"], ["-h"]]) {
      const result = parseCommandLine(argv);
      assert.equal(result.kind, "help");
      const text = result.kind === "help" ? result.text : "";
      for (const command of [
        "users add",
        "users list",
        "users block",
        "users unblock",
        "rights list",
        "migrate",
      ]) {
        assert.ok(text.includes(`lk ${command}`), `${argv.join(" ")} lists ${command}`);
      }
    }
    for (const argv of [
      ["users", "add", "--help"],
      ["help", "users", "add"],
    ]) {
      const result = parseCommandLine(argv);
      assert.equal(result.kind, "help");
      assert.match(result.kind === "help" ? result.text : "", /^Usage: lk users add/);
    }
    const group = parseCommandLine(["users", "--help"]);
    assert.match(group.kind === "help" ? group.text : "", /lk users block LOGIN/);
  });
});

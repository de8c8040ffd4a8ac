import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { safeReturnPath } from "./render.tsx";

describe("safeReturnPath (no open redirect after sign-in)", () => {
  it("keeps same-origin paths with their query", () => {
    assert.equal(safeReturnPath("/"), "/");
    assert.equal(safeReturnPath("/settings"), "/settings");
    assert.equal(safeReturnPath("/some/page?x=1&y=2"), "/some/page?x=1&y=2");
  });

  it("refuses anything that could leave the site", () => {
    for (const next of [
      "//evil.example",
      "//evil.example/path",
      "/\\evil.example",
      "/\\/evil.example",
      "https://evil.example",
      "http://evil.example/",
      "javascript:alert(1)",
      "evil.example",
      "",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r\nSet-Cookie:x=1",
    ]) {
      assert.equal(safeReturnPath(next), undefined, JSON.stringify(next));
    }
  });

  it("refuses non-strings and over-long paths", () => {
    assert.equal(safeReturnPath(undefined), undefined);
    assert.equal(safeReturnPath(["/a", "/b"]), undefined);
    assert.equal(safeReturnPath(42), undefined);
    assert.equal(safeReturnPath(`/${"a".repeat(2000)}`), undefined);
  });

  it("refuses paths whose dot segments collapse into a protocol-relative URL", () => {
    for (const next of ["/.//evil.example", "/a/..//evil.example", "/../..//evil.example"]) {
      assert.equal(safeReturnPath(next), undefined, next);
    }
  });

  it("never returns a value that a browser would resolve to another origin", () => {
    for (const next of [
      "/./evil",
      "/.//evil.example",
      "/../..//evil.example",
      "/%2F%2Fevil.example",
      "/..\\evil",
      "/.\\/evil.example",
    ]) {
      const path = safeReturnPath(next);
      if (path === undefined) continue;
      assert.equal(new URL(path, "https://cabinet.example").origin, "https://cabinet.example", next);
    }
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FastifyRequest } from "fastify";
import { isSameOrigin } from "./csrf.ts";

const request = (headers: Record<string, string>) =>
  ({ headers: { host: "cabinet.example", ...headers } }) as FastifyRequest;

describe("isSameOrigin (Fetch Metadata, then Origin)", () => {
  it("accepts Chromium's same-origin post under Referrer-Policy: no-referrer, which carries Origin: null", () => {
    assert.equal(isSameOrigin(request({ origin: "null", "sec-fetch-site": "same-origin" })), true);
  });

  it("refuses cross-site and same-site (a sibling subdomain) posts whatever Origin says", () => {
    assert.equal(
      isSameOrigin(request({ "sec-fetch-site": "cross-site", origin: "https://cabinet.example" })),
      false,
    );
    assert.equal(isSameOrigin(request({ "sec-fetch-site": "same-site" })), false);
  });

  it("falls back to Origin when a client sends no Fetch Metadata", () => {
    assert.equal(isSameOrigin(request({ origin: "https://cabinet.example" })), true);
    assert.equal(isSameOrigin(request({ origin: "http://cabinet.example:80" })), true);
    assert.equal(isSameOrigin(request({ origin: "https://evil.example" })), false);
    assert.equal(isSameOrigin(request({ origin: "null" })), false);
    assert.equal(isSameOrigin(request({ origin: "not a url" })), false);
  });

  it("leaves a request with neither header to the synchronizer token", () => {
    assert.equal(isSameOrigin(request({})), true);
  });
});

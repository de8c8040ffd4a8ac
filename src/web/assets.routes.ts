import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";

const css = readFileSync(new URL("./app.css", import.meta.url));
const etag = `"${createHash("sha256").update(css).digest("base64url").slice(0, 16)}"`;

export async function assetsRoutes(app: FastifyInstance) {
  app.get("/assets/app.css", async (request, reply) => {
    reply.header("cache-control", "public, max-age=3600").header("etag", etag);
    if (request.headers["if-none-match"] === etag) return reply.status(304).send();
    return reply.type("text/css; charset=utf-8").send(css);
  });
}

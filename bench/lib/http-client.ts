// A minimal HTTP/1.1 client on node:http: full control of headers (Origin, Cookie), redirects not followed,
// every Set-Cookie visible, and one keep-alive connection per simulated browser.
import http from "node:http";

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpRequest {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** One connection, reused: like a browser tab talking to the cabinet. */
export function createConnection(port: number, host = "127.0.0.1") {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    origin: `http://${host}:${port}`,
    request(request: HttpRequest): Promise<HttpResponse> {
      return new Promise((resolve, reject) => {
        const headers: Record<string, string | number> = { ...request.headers };
        if (request.body !== undefined) headers["content-length"] = Buffer.byteLength(request.body);
        const req = http.request(
          { host, port, agent, method: request.method, path: request.path, headers },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: Buffer.concat(chunks).toString("utf8"),
              }),
            );
            res.on("error", reject);
          },
        );
        req.setTimeout(REQUEST_TIMEOUT_MS, () =>
          req.destroy(new Error(`${request.method} ${request.path}: no answer in ${REQUEST_TIMEOUT_MS} ms`)),
        );
        req.on("error", reject);
        req.end(request.body);
      });
    },
    close(): void {
      agent.destroy();
    },
  };
}

export type Connection = ReturnType<typeof createConnection>;

/** name → value of every cookie a response sets (attributes dropped). */
export function cookiesOf(response: HttpResponse): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const line of response.headers["set-cookie"] ?? []) {
    const pair = line.split(";", 1)[0] ?? "";
    const eq = pair.indexOf("=");
    if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return cookies;
}

export function cookieHeader(cookies: ReadonlyMap<string, string>): string {
  return [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
}

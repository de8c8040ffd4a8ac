// Browser-test support: the mails a server without SMTP writes as .eml files into its outbox folder.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { simpleParser } from "mailparser";

export interface OutboxMail {
  file: string;
  to: string;
  subject: string;
  text: string;
}

export async function readOutbox(dir: string): Promise<OutboxMail[]> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith(".eml") && !name.startsWith("."));
  } catch {
    return [];
  }
  return Promise.all(
    names.sort().map(async (name) => {
      const parsed = await simpleParser(readFileSync(join(dir, name)));
      const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(", ") : (parsed.to?.text ?? "");
      return { file: name, to, subject: parsed.subject ?? "", text: parsed.text ?? "" };
    }),
  );
}

/** Waits (bounded) for a mail in the outbox: the server queues mail and sends it after the request. */
export async function waitForOutboxMail(
  dir: string,
  predicate: (mail: OutboxMail) => boolean,
  timeoutMs = 10_000,
): Promise<OutboxMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await readOutbox(dir);
    const found = mails.find(predicate);
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(
        `no matching mail in ${dir} within ${timeoutMs} ms; found: ${JSON.stringify(mails.map((m) => [m.to, m.subject]))}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

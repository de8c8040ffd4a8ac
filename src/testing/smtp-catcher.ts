// Test support: a real SMTP server on loopback that keeps every mail it accepts (CONVENTIONS.md: "Mail tests
// catch mail with a real SMTP server on loopback and follow the link in the mail").
import type { AddressInfo, Socket } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface CaughtMail {
  /** Address of the From header (the envelope sender when the header has none). */
  from: string;
  /** Envelope recipients (RCPT TO), as the client gave them. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Message-ID header with its angle brackets, e.g. `<uuid@example.org>`. */
  messageId: string;
  raw: string;
}

export interface SmtpCatcher {
  readonly port: number;
  /** `smtp://127.0.0.1:<port>` */
  readonly url: string;
  readonly mails: CaughtMail[];
  /** Resolves with an already-caught or future match; rejects with a clear message after timeoutMs (default 10000). */
  waitForMail(predicate?: (mail: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  mailsTo(address: string): CaughtMail[];
  /** Closes the server and every open connection: the port stops accepting. */
  stop(): Promise<void>;
  /** (Re)starts on the SAME port after stop(), keeping `mails`. */
  start(): Promise<void>;
}

interface Waiter {
  predicate: (mail: CaughtMail) => boolean;
  resolve: (mail: CaughtMail) => void;
}

const HOST = "127.0.0.1";

export async function startSmtpCatcher(options: { port?: number } = {}): Promise<SmtpCatcher> {
  const mails: CaughtMail[] = [];
  const waiters = new Set<Waiter>();
  let port = options.port ?? 0;
  let server: SMTPServer | undefined;
  const sockets = new Set<Socket>();

  function caught(mail: CaughtMail): void {
    mails.push(mail);
    for (const waiter of [...waiters]) {
      if (!waiter.predicate(mail)) continue;
      waiters.delete(waiter);
      waiter.resolve(mail);
    }
  }

  function createServer(): SMTPServer {
    const smtp = new SMTPServer({
      authOptional: true,
      secure: false,
      disabledCommands: ["STARTTLS"],
      logger: false,
      // stop() destroys the sockets itself; this only bounds a connection that somehow survives.
      closeTimeout: 1000,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("error", (error) => callback(error));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw)
            .then((parsed) => {
              const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
              caught({
                from: parsed.from?.value[0]?.address ?? envelopeFrom,
                to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
                subject: parsed.subject ?? "",
                text: parsed.text ?? "",
                html: typeof parsed.html === "string" ? parsed.html : "",
                messageId: parsed.messageId ?? "",
                raw: raw.toString("utf8"),
              });
              callback();
            })
            .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
        });
      },
    });
    // A client that drops its connection (or one we destroy in stop()) must not crash the test process.
    smtp.on("error", () => {});
    smtp.server.on("connection", (socket: Socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    });
    return smtp;
  }

  async function start(): Promise<void> {
    if (server) return;
    const smtp = createServer();
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      smtp.server.once("error", onError);
      smtp.listen(port, HOST, () => {
        smtp.server.off("error", onError);
        resolve();
      });
    });
    port = (smtp.server.address() as AddressInfo).port;
    server = smtp;
  }

  async function stop(): Promise<void> {
    const smtp = server;
    if (!smtp) return;
    server = undefined;
    const closed = new Promise<void>((resolve) => smtp.close(() => resolve()));
    // Without this, close() waits for open sessions and a restart on the same port could not bind.
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closed;
  }

  function waitForMail(
    predicate: (mail: CaughtMail) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<CaughtMail> {
    const already = mails.find(predicate);
    if (already) return Promise.resolve(already);
    return new Promise<CaughtMail>((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (mail) => {
          clearTimeout(timer);
          resolve(mail);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        const seen = mails.map((mail) => `${mail.to.join(",")}: "${mail.subject}"`).join("; ") || "none";
        reject(
          new Error(
            `No matching mail arrived at the SMTP catcher on port ${port} within ${timeoutMs} ms (caught ${mails.length}: ${seen})`,
          ),
        );
      }, timeoutMs);
      waiters.add(waiter);
    });
  }

  await start();
  return {
    get port() {
      return port;
    },
    get url() {
      return `smtp://${HOST}:${port}`;
    },
    mails,
    waitForMail,
    mailsTo: (address) => {
      const wanted = address.toLowerCase();
      return mails.filter((mail) => mail.to.some((to) => to.toLowerCase() === wanted));
    },
    stop,
    start,
  };
}

/** Extracts the first http(s) link containing `pathPart` from a caught mail's text part. */
export function linkIn(mail: CaughtMail, pathPart: string): string {
  for (const match of mail.text.matchAll(/https?:\/\/[^\s<>"']+/g)) {
    // A sentence may end right after the link; the full stop is not part of it.
    const link = match[0].replace(/[.,;:!?)\]]+$/, "");
    if (link.includes(pathPart)) return link;
  }
  throw new Error(`No link containing "${pathPart}" in the mail "${mail.subject}":\n${mail.text}`);
}

import { randomUUID } from "node:crypto";
import { renderToStaticMarkup } from "preact-render-to-string";
import { formatDateTime, formatDuration, type Language, t } from "../i18n/i18n.ts";

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

interface MailContent {
  language: Language;
  subject: string;
  greetingName: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Shown after the action: the link's validity, a warning. */
  after?: string[];
}

/** Every mail has a plain-text and an HTML part with the same words; the HTML is escaped by the renderer. */
function compose(content: MailContent): ComposedMail {
  const { language, action } = content;
  const greeting = t(language, "mail.greeting", { name: content.greetingName });
  const after = content.after ?? [];
  const signature = t(language, "mail.signature");
  const text = [
    greeting,
    "",
    ...content.paragraphs.flatMap((p) => [p, ""]),
    ...(action ? [action.url, ""] : []),
    ...after.flatMap((p) => [p, ""]),
    `-- \n${signature}`,
  ].join("\n");
  const html = `<!doctype html>${renderToStaticMarkup(
    <html lang={language}>
      <head>
        <meta charset="utf-8" />
        <title>{content.subject}</title>
      </head>
      <body style="font-family: Arial, sans-serif; color: #1f2937; line-height: 1.5">
        <p>{greeting}</p>
        {content.paragraphs.map((p) => (
          <p key={p}>{p}</p>
        ))}
        {action && (
          <p>
            <a
              href={action.url}
              style="display: inline-block; padding: 10px 18px; background: #0b5cad; color: #ffffff; text-decoration: none; border-radius: 4px"
            >
              {action.label}
            </a>
          </p>
        )}
        {action && (
          <p style="font-size: 13px; color: #4b5563; word-break: break-all">
            <a href={action.url}>{action.url}</a>
          </p>
        )}
        {after.map((p) => (
          <p key={p}>{p}</p>
        ))}
        <p style="color: #6b7280">{signature}</p>
      </body>
    </html>,
  )}`;
  return { subject: content.subject, text, html };
}

export function newMessageId(domainOf: string): string {
  const domain = domainOf.split("@")[1] ?? "localhost";
  return `<${randomUUID()}@${domain}>`;
}

interface Recipient {
  language: Language;
  login: string;
  fullName: string;
}

const nameOf = (user: Recipient) => user.fullName || user.login;

/** Seed: «Время действия ссылки будет указано в письме», and the letter is in the user's own language. */
export function composeResetMail(user: Recipient, link: { url: string; ttlMs: number }): ComposedMail {
  const { language } = user;
  return compose({
    language,
    subject: t(language, "mail.reset.subject"),
    greetingName: nameOf(user),
    paragraphs: [t(language, "mail.reset.body", { login: user.login })],
    action: { label: t(language, "mail.reset.button"), url: link.url },
    after: [
      t(language, "mail.reset.validity", { duration: formatDuration(language, link.ttlMs, "genitive") }),
      t(language, "mail.ignore"),
    ],
  });
}

export function composePasswordChangedMail(
  user: Recipient,
  change: { at: number; supportEmail: string },
): ComposedMail {
  const { language } = user;
  return compose({
    language,
    subject: t(language, "mail.changed.subject"),
    greetingName: nameOf(user),
    paragraphs: [
      t(language, "mail.changed.body", {
        login: user.login,
        when: `${formatDateTime(language, change.at, "UTC")} UTC`,
      }),
    ],
    after: [t(language, "mail.changed.warning", { support: change.supportEmail })],
  });
}

export function composeLockoutMail(
  user: Recipient,
  lock: { failures: number; until: number; durationMs: number; supportEmail: string },
): ComposedMail {
  const { language } = user;
  return compose({
    language,
    subject: t(language, "mail.locked.subject"),
    greetingName: nameOf(user),
    paragraphs: [
      t(language, "mail.locked.body", {
        count: lock.failures,
        login: user.login,
        duration: formatDuration(language, lock.durationMs),
        until: `${formatDateTime(language, lock.until, "UTC")} UTC`,
      }),
    ],
    after: [t(language, "mail.locked.warning", { support: lock.supportEmail })],
  });
}

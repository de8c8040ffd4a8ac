import type { VNode } from "preact";
import { t } from "../i18n/i18n.ts";
import type { PageContext } from "./layout.tsx";
import { MessagePage } from "./message-page.tsx";
import { safeReturnPath } from "./render.tsx";

export type ErrorKind = "not-found" | "forbidden" | "bad-request" | "server" | "csrf";

const PAGES = {
  "not-found": { title: "error.notFoundTitle", body: "error.notFound" },
  forbidden: { title: "error.forbiddenTitle", body: "error.forbidden" },
  "bad-request": { title: "error.badRequestTitle", body: "error.badRequest" },
  server: { title: "error.serverTitle", body: "error.server" },
  csrf: { title: "csrf.title", body: "csrf.body" },
} as const;

/** Localized pages for failures; they never show a stack trace or an internal message. */
export function errorPage(ctx: PageContext, kind: ErrorKind, retryPath?: string): VNode {
  const texts = PAGES[kind];
  const retry = kind === "csrf" ? safeReturnPath(retryPath) : undefined;
  return (
    <MessagePage
      ctx={ctx}
      title={texts.title}
      body={t(ctx.language, texts.body)}
      link={retry ? { href: retry, label: "csrf.back" } : undefined}
    />
  );
}

import type { ComponentChildren } from "preact";
import type { CurrentUser } from "../auth/current-user.ts";
import type { Mode } from "../config.ts";
import { type Language, type MessageKey, t } from "../i18n/i18n.ts";

export interface PageContext {
  language: Language;
  mode: Mode;
  csrfToken: string;
  user?: CurrentUser;
  /** The path being shown, to mark the current section in the navigation. */
  path: string;
  /** Path and query, so a language switch returns to exactly this page (with its `next`). */
  url: string;
}

interface NavItem {
  href: string;
  label: MessageKey;
  visible: (user: CurrentUser) => boolean;
}

// Only sections that exist are linked (PRODUCT.md: a user without the right sees no link).
// Orders, reports, administration and the event log join this list as their issues land.
export const NAVIGATION: NavItem[] = [{ href: "/settings", label: "nav.settings", visible: () => true }];

export function Layout(props: { ctx: PageContext; title: string; children: ComponentChildren }) {
  const { ctx } = props;
  const { language, user } = ctx;
  return (
    <html lang={language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${props.title} — ${t(language, "app.title")}`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
      </head>
      <body>
        <a class="skip" href="#content">
          {t(language, "app.skipToContent")}
        </a>
        {ctx.mode === "test" && (
          <div
            class="test-mode"
            role="status"
            data-testid="test-mode"
            title={t(language, "app.testModeHint")}
          >
            {t(language, "app.testMode")}
          </div>
        )}
        <header class="topbar">
          <a class="brand" href="/">
            {t(language, "app.title")}
          </a>
          {user && <Navigation ctx={ctx} user={user} />}
          {user && (
            <div class="who">
              <span>
                <strong data-testid="user-name">{user.fullName || user.login}</strong>
                {" · "}
                <span data-testid="enterprise-name">{user.enterpriseName}</span>
                {" · "}
                <span>{language.toUpperCase()}</span>
              </span>
              <form class="inline" method="post" action="/sign-out">
                <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                <button class="link-button" type="submit">
                  {t(language, "nav.signOut")}
                </button>
              </form>
            </div>
          )}
        </header>
        <main id="content">{props.children}</main>
        <footer>© {new Date().getUTCFullYear()}</footer>
      </body>
    </html>
  );
}

function Navigation(props: { ctx: PageContext; user: CurrentUser }) {
  const { ctx, user } = props;
  const items = NAVIGATION.filter((item) => item.visible(user));
  return (
    <nav class="nav" aria-label={t(ctx.language, "nav.main")}>
      {items.map((item) => (
        <a href={item.href} aria-current={ctx.path.startsWith(item.href) ? "page" : undefined}>
          {t(ctx.language, item.label)}
        </a>
      ))}
    </nav>
  );
}

/** The ru/en switch of the pages one sees before signing in; afterwards the user's own language rules. */
export function LanguageSwitch(props: { ctx: PageContext }) {
  const { ctx } = props;
  return (
    <nav class="langs" aria-label={t(ctx.language, "app.language")}>
      {(["ru", "en"] as const).map((language) => (
        <a
          href={`/language/${language}?next=${encodeURIComponent(ctx.url)}`}
          aria-current={language === ctx.language ? "true" : undefined}
          lang={language}
          hreflang={language}
        >
          {t(language, `lang.${language}`)}
        </a>
      ))}
    </nav>
  );
}

export function Alert(props: { kind: "error" | "ok"; children: ComponentChildren; testId?: string }) {
  return (
    <div
      class={`alert alert-${props.kind}`}
      role={props.kind === "error" ? "alert" : "status"}
      data-testid={props.testId}
    >
      {props.children}
    </div>
  );
}

export function CsrfField(props: { ctx: PageContext }) {
  return <input type="hidden" name="_csrf" value={props.ctx.csrfToken} />;
}

/** The login field of the sign-in and recovery forms: no autocorrection, the browser's saved username. */
export function LoginInput(props: { label: string; value?: string; autofocus: boolean }) {
  return (
    <>
      <label for="login">{props.label}</label>
      <input
        id="login"
        name="login"
        type="text"
        value={props.value ?? ""}
        autocomplete="username"
        autocapitalize="none"
        spellcheck={false}
        maxLength={100}
        required
        autofocus={props.autofocus}
      />
    </>
  );
}

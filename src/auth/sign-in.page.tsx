import { t } from "../i18n/i18n.ts";
import { Alert, CsrfField, LanguageSwitch, Layout, LoginInput, type PageContext } from "../web/layout.tsx";

export type SignInNotice = "signed-out" | "session-expired" | "password-changed";

export interface SignInPageProps {
  ctx: PageContext;
  login?: string;
  next?: string;
  error?: "rejected" | "incomplete";
  notice?: SignInNotice;
}

const NOTICE_KEYS = {
  "signed-out": "signIn.signedOut",
  "session-expired": "signIn.sessionExpired",
  "password-changed": "signIn.passwordChanged",
} as const;

/** Seed, «Страница авторизации»: login, password, «Войти» and «Забыли пароль?». */
export function SignInPage(props: SignInPageProps) {
  const { ctx } = props;
  const tr = (key: Parameters<typeof t>[1]) => t(ctx.language, key);
  return (
    <Layout ctx={ctx} title={tr("signIn.title")}>
      <div class="card narrow">
        <LanguageSwitch ctx={ctx} />
        <h1>{tr("signIn.title")}</h1>
        {props.notice && (
          <Alert kind="ok" testId="notice">
            <p>{tr(NOTICE_KEYS[props.notice])}</p>
          </Alert>
        )}
        {props.error && (
          <Alert kind="error" testId="error">
            <p>{tr(props.error === "rejected" ? "signIn.failed" : "signIn.required")}</p>
          </Alert>
        )}
        <form method="post" action="/sign-in" novalidate>
          <CsrfField ctx={ctx} />
          {props.next && <input type="hidden" name="next" value={props.next} />}
          <LoginInput label={tr("signIn.login")} value={props.login} autofocus={!props.login} />
          <label for="password">{tr("signIn.password")}</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            maxLength={256}
            required
            autofocus={Boolean(props.login)}
          />
          <div class="actions">
            <button class="button" type="submit">
              {tr("signIn.submit")}
            </button>
            <a href="/recovery">{tr("signIn.forgot")}</a>
          </div>
        </form>
      </div>
    </Layout>
  );
}

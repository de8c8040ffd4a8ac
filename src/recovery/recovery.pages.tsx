import { t } from "../i18n/i18n.ts";
import type { PasswordProblem } from "../passwords/password-change.service.ts";
import { PasswordForm } from "../passwords/password-form.tsx";
import type { PasswordPolicy } from "../passwords/password-policy.ts";
import { Alert, CsrfField, LanguageSwitch, Layout, LoginInput, type PageContext } from "../web/layout.tsx";

/** Seed, «Страница восстановления пароля». */
export function RecoveryPage(props: {
  ctx: PageContext;
  login?: string;
  email?: string;
  error?: "refused" | "incomplete";
  supportEmail: string;
}) {
  const { ctx } = props;
  const lang = ctx.language;
  return (
    <Layout ctx={ctx} title={t(lang, "recovery.title")}>
      <div class="card narrow">
        <LanguageSwitch ctx={ctx} />
        <h1>{t(lang, "recovery.title")}</h1>
        {props.error === "refused" && <RecoveryRefused ctx={ctx} supportEmail={props.supportEmail} />}
        {props.error === "incomplete" && (
          <Alert kind="error" testId="error">
            <p>{t(lang, "recovery.required")}</p>
          </Alert>
        )}
        <p data-testid="recovery-intro">
          {t(lang, "recovery.introBefore")}
          <strong>{t(lang, "recovery.introLogin")}</strong>
          {t(lang, "recovery.introAnd")}
          <strong>{t(lang, "recovery.introEmail")}</strong>
          {t(lang, "recovery.introAfter")}
        </p>
        <form method="post" action="/recovery" novalidate>
          <CsrfField ctx={ctx} />
          <LoginInput label={t(lang, "recovery.login")} value={props.login} autofocus />
          <label for="email">{t(lang, "recovery.email")}</label>
          <input
            id="email"
            name="email"
            type="email"
            value={props.email ?? ""}
            autocomplete="email"
            maxLength={254}
            required
          />
          <div class="actions">
            <button class="button" type="submit">
              {t(lang, "recovery.submit")}
            </button>
            <a href="/sign-in">{t(lang, "recovery.back")}</a>
          </div>
        </form>
      </div>
    </Layout>
  );
}

/** Seed, «Неуспешное восстановление пароля», with the configured support address as a mailto link. */
function RecoveryRefused(props: { ctx: PageContext; supportEmail: string }) {
  const lang = props.ctx.language;
  return (
    <Alert kind="error" testId="error">
      <p>{t(lang, "recovery.failed")}</p>
      <p>
        {t(lang, "recovery.failedHint")} <a href={`mailto:${props.supportEmail}`}>{props.supportEmail}</a>.
      </p>
    </Alert>
  );
}

/** Seed, «Сообщение о письме для восстановления пароля». */
export function RecoverySentPage(props: { ctx: PageContext }) {
  const lang = props.ctx.language;
  return (
    <Layout ctx={props.ctx} title={t(lang, "recovery.title")}>
      <div class="card narrow">
        <h2>{t(lang, "recovery.title")}</h2>
        <Alert kind="ok" testId="notice">
          <p>{t(lang, "recovery.sent")}</p>
        </Alert>
        <p>
          <a href="/sign-in">{t(lang, "recovery.back")}</a>
        </p>
      </div>
    </Layout>
  );
}

export function LinkInvalidPage(props: { ctx: PageContext }) {
  const lang = props.ctx.language;
  return (
    <Layout ctx={props.ctx} title={t(lang, "recovery.linkInvalidTitle")}>
      <div class="card narrow">
        <h1>{t(lang, "recovery.linkInvalidTitle")}</h1>
        <Alert kind="error" testId="error">
          <p>{t(lang, "recovery.linkInvalid")}</p>
        </Alert>
        <div class="actions">
          <a class="button" href="/recovery">
            {t(lang, "recovery.requestNew")}
          </a>
          <a href="/sign-in">{t(lang, "recovery.back")}</a>
        </div>
      </div>
    </Layout>
  );
}

export function NewPasswordPage(props: {
  ctx: PageContext;
  token: string;
  login: string;
  policy: PasswordPolicy;
  problems?: PasswordProblem[];
}) {
  const lang = props.ctx.language;
  return (
    <Layout ctx={props.ctx} title={t(lang, "recovery.newPasswordTitle")}>
      <div class="card narrow">
        <h1>{t(lang, "recovery.newPasswordTitle")}</h1>
        <p>{t(lang, "recovery.newPasswordIntro", { login: props.login })}</p>
        <PasswordForm
          ctx={props.ctx}
          action={`/recovery/reset/${props.token}`}
          policy={props.policy}
          problems={props.problems}
        />
      </div>
    </Layout>
  );
}

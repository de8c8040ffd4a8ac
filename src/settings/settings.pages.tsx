import type { CurrentUser } from "../auth/current-user.ts";
import { LANGUAGES, type Language, t } from "../i18n/i18n.ts";
import type { PasswordProblem } from "../passwords/password-change.service.ts";
import { PasswordForm } from "../passwords/password-form.tsx";
import type { PasswordPolicy } from "../passwords/password-policy.ts";
import { Alert, CsrfField, Layout, type PageContext } from "../web/layout.tsx";

export function SettingsPage(props: {
  ctx: PageContext;
  user: CurrentUser;
  policy: PasswordPolicy;
  problems?: PasswordProblem[];
  changed?: "password" | "language";
}) {
  const { ctx, user } = props;
  const lang = ctx.language;
  return (
    <Layout ctx={ctx} title={t(lang, "settings.title")}>
      <div class="card narrow">
        <h1>{t(lang, "settings.title")}</h1>
        {props.changed && (
          <Alert kind="ok" testId="notice">
            <p>{t(lang, props.changed === "password" ? "password.changed" : "settings.languageChanged")}</p>
          </Alert>
        )}
        <LanguageForm ctx={ctx} current={user.language} />
        <h2>{t(lang, "settings.passwordTitle")}</h2>
        {user.rights.has("change-own-password") ? (
          <PasswordForm
            ctx={ctx}
            action="/settings/password"
            policy={props.policy}
            withCurrent
            problems={props.problems}
          />
        ) : (
          <p data-testid="no-right">{t(lang, "password.error.noRight")}</p>
        )}
      </div>
    </Layout>
  );
}

function LanguageForm(props: { ctx: PageContext; current: Language }) {
  const lang = props.ctx.language;
  return (
    <form method="post" action="/settings/language">
      <CsrfField ctx={props.ctx} />
      <fieldset class="choice">
        <legend>{t(lang, "settings.languageTitle")}</legend>
        {LANGUAGES.map((language) => (
          <label class="radio" lang={language}>
            <input type="radio" name="language" value={language} checked={language === props.current} />{" "}
            {t(language, `lang.${language}`)}
          </label>
        ))}
      </fieldset>
      <button class="button secondary" type="submit">
        {t(lang, "settings.languageSave")}
      </button>
    </form>
  );
}

export function ForcedChangePage(props: {
  ctx: PageContext;
  policy: PasswordPolicy;
  next?: string;
  problems?: PasswordProblem[];
}) {
  const lang = props.ctx.language;
  return (
    <Layout ctx={props.ctx} title={t(lang, "password.forcedTitle")}>
      <div class="card narrow">
        <h1>{t(lang, "password.forcedTitle")}</h1>
        <p>{t(lang, "password.forcedIntro")}</p>
        <PasswordForm
          ctx={props.ctx}
          action="/password/change-required"
          policy={props.policy}
          problems={props.problems}
          hidden={props.next ? { next: props.next } : undefined}
        />
      </div>
    </Layout>
  );
}

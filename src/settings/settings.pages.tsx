import type { CurrentUser } from "../auth/current-user.ts";
import { t } from "../i18n/i18n.ts";
import type { PasswordProblem } from "../passwords/password-change.service.ts";
import { PasswordForm } from "../passwords/password-form.tsx";
import type { PasswordPolicy } from "../passwords/password-policy.ts";
import { Alert, Layout, type PageContext } from "../web/layout.tsx";

export function SettingsPage(props: {
  ctx: PageContext;
  user: CurrentUser;
  policy: PasswordPolicy;
  problems?: PasswordProblem[];
  changed?: boolean;
}) {
  const { ctx, user } = props;
  const lang = ctx.language;
  return (
    <Layout ctx={ctx} title={t(lang, "settings.title")}>
      <div class="card narrow">
        <h1>{t(lang, "settings.title")}</h1>
        <h2>{t(lang, "settings.passwordTitle")}</h2>
        {props.changed && (
          <Alert kind="ok" testId="notice">
            <p>{t(lang, "password.changed")}</p>
          </Alert>
        )}
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

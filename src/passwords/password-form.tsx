import { countInWords, type Language, type MessageKey, t } from "../i18n/i18n.ts";
import { Alert, CsrfField, type PageContext } from "../web/layout.tsx";
import type { PasswordProblem } from "./password-change.service.ts";
import type { PasswordPolicy } from "./password-policy.ts";

const PROBLEM_KEYS: Record<PasswordProblem, MessageKey> = {
  length: "password.error.length",
  charset: "password.error.charset",
  letterAndDigit: "password.error.letterAndDigit",
  history: "password.error.history",
  mismatch: "password.error.mismatch",
  required: "password.error.required",
  currentWrong: "password.error.currentWrong",
};

/** Each failed rule named in the person's language (the seed's rules, with the configured numbers). */
export function describeProblem(
  language: Language,
  problem: PasswordProblem,
  policy: PasswordPolicy,
): string {
  return t(language, PROBLEM_KEYS[problem], {
    min: policy.minLength,
    max: policy.maxLength,
    count: countInWords(language, policy.history),
  });
}

export function PasswordRules(props: { language: Language; policy: PasswordPolicy }) {
  const { language, policy } = props;
  const params = {
    min: policy.minLength,
    max: policy.maxLength,
    count: countInWords(language, policy.history),
  };
  return (
    <div data-testid="password-rules">
      <p class="muted">{t(language, "password.rulesTitle")}:</p>
      <ul class="rules">
        <li>{t(language, "password.rule.length", params)}</li>
        <li>{t(language, "password.rule.charset")}</li>
        <li>{t(language, "password.rule.letterAndDigit")}</li>
        <li>{t(language, "password.rule.history", params)}</li>
      </ul>
    </div>
  );
}

/**
 * «Новый пароль», «Повторите новый пароль» (and «Текущий пароль» in Settings), «Сохранить».
 * Fields are never filled back in: a password is not echoed into a page.
 */
export function PasswordForm(props: {
  ctx: PageContext;
  action: string;
  policy: PasswordPolicy;
  withCurrent?: boolean;
  problems?: PasswordProblem[];
  hidden?: Record<string, string>;
}) {
  const { ctx, policy } = props;
  const lang = ctx.language;
  return (
    <form method="post" action={props.action} novalidate>
      <CsrfField ctx={ctx} />
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      {props.problems && props.problems.length > 0 && (
        <Alert kind="error" testId="error">
          <ul>
            {props.problems.map((problem) => (
              <li data-rule={problem}>{describeProblem(lang, problem, policy)}</li>
            ))}
          </ul>
        </Alert>
      )}
      {props.withCurrent && (
        <>
          <label for="current">{t(lang, "password.current")}</label>
          <input
            id="current"
            name="current"
            type="password"
            autocomplete="current-password"
            maxLength={256}
            required
          />
        </>
      )}
      <label for="password">{t(lang, "password.new")}</label>
      <input
        id="password"
        name="password"
        type="password"
        autocomplete="new-password"
        maxLength={256}
        required
        aria-describedby="password-rules"
      />
      <label for="repeat">{t(lang, "password.repeat")}</label>
      <input id="repeat" name="repeat" type="password" autocomplete="new-password" maxLength={256} required />
      <div id="password-rules">
        <PasswordRules language={lang} policy={policy} />
      </div>
      <button class="button" type="submit">
        {t(lang, "password.save")}
      </button>
    </form>
  );
}

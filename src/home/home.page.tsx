import type { CurrentUser } from "../auth/current-user.ts";
import { formatDateTime, formatDuration, t } from "../i18n/i18n.ts";
import type { MerchantRow } from "../users/users.table.ts";
import { Layout, type PageContext } from "../web/layout.tsx";

export interface HomePageProps {
  ctx: PageContext;
  user: CurrentUser;
  merchants: MerchantRow[];
  previousSignIn?: { at: number; ip: string | null };
  sessionIdleMs: number;
}

/** The cabinet's landing page: who is signed in, for which enterprise and merchants, with which rights. */
export function HomePage(props: HomePageProps) {
  const { ctx, user } = props;
  const lang = ctx.language;
  const rights = [...user.rights].sort();
  return (
    <Layout ctx={ctx} title={t(lang, "home.title")}>
      <div class="card">
        <h1 data-testid="welcome">{t(lang, "home.welcome", { name: user.fullName || user.login })}</h1>
        <dl class="facts">
          <dt>{t(lang, "home.enterprise")}</dt>
          <dd>{user.enterpriseName}</dd>
          <dt>{t(lang, "home.login")}</dt>
          <dd>{user.login}</dd>
          <dt>{t(lang, "home.language")}</dt>
          <dd>{t(lang, `lang.${user.language}`)}</dd>
          <dt>{t(lang, "home.merchants")}</dt>
          <dd>
            {props.merchants.map((m) => `${m.name} (${m.merchant_code}, ${m.currency})`).join(", ") || "—"}
            {user.allMerchants && <span class="muted"> — {t(lang, "home.allMerchants")}</span>}
          </dd>
          <dt>{t(lang, "home.rights")}</dt>
          <dd data-testid="rights">
            {rights.length > 0
              ? rights.map((right) => t(lang, `right.${right}`)).join(", ")
              : t(lang, "home.noRights")}
          </dd>
          <dt>{t(lang, "home.lastSignIn")}</dt>
          <dd data-testid="previous-sign-in">
            {props.previousSignIn
              ? `${formatDateTime(lang, props.previousSignIn.at, "UTC")} UTC${props.previousSignIn.ip ? `, ${props.previousSignIn.ip}` : ""}`
              : t(lang, "home.firstSignIn")}
          </dd>
        </dl>
        <p class="muted">
          {t(lang, "home.sessionEnds", { idle: formatDuration(lang, props.sessionIdleMs) })}
        </p>
      </div>
    </Layout>
  );
}

import { type MessageKey, t } from "../i18n/i18n.ts";
import { Layout, type PageContext } from "./layout.tsx";

/** A page with a heading, a sentence and a way on: errors, expired forms, throttling. */
export function MessagePage(props: {
  ctx: PageContext;
  title: MessageKey;
  body: string;
  link?: { href: string; label: MessageKey };
}) {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title={t(ctx.language, props.title)}>
      <div class="card narrow">
        <h1>{t(ctx.language, props.title)}</h1>
        <p data-testid="message">{props.body}</p>
        <p>
          <a href={props.link?.href ?? "/"}>{t(ctx.language, props.link?.label ?? "error.home")}</a>
        </p>
      </div>
    </Layout>
  );
}

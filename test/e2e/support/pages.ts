// The pages as a person sees them: found by their visible labels, in the language they are shown in.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";

export const RU = {
  heading: "Вход в личный кабинет",
  login: "Логин",
  password: "Пароль",
  submit: "Войти",
  forgot: "Забыли пароль?",
  // Seed: the one answer for a wrong password, an unknown login and a blocked account.
  failed: "Извините, пользователь с такими логином и паролем не зарегистрирован в системе",
  signedOut: "Вы вышли из личного кабинета.",
  signOut: "Выйти",
  settings: "Настройки",
  testMode: "Тестовый режим",
} as const;

export const EN = {
  heading: "Sign in to the merchant cabinet",
  login: "Login",
  password: "Password",
  submit: "Sign in",
  forgot: "Forgot your password?",
  failed: "Sorry, no user with this login and password is registered in the system",
  signedOut: "You have signed out of the cabinet.",
  signOut: "Sign out",
  settings: "Settings",
  testMode: "Test mode",
} as const;

export type Texts = typeof RU | typeof EN;

/** The path and query of the page's URL, e.g. `/sign-in?next=%2F`. */
export function pathOf(page: Page): string {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

/** Types into the fields labelled «Логин» and «Пароль» and presses «Войти»; waits for the answer page. */
export async function submitSignIn(
  page: Page,
  credentials: { login: string; password: string },
  texts: Texts = RU,
): Promise<void> {
  await page.getByLabel(texts.login, { exact: true }).fill(credentials.login);
  await page.getByLabel(texts.password, { exact: true }).fill(credentials.password);
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: "load" }),
    page.getByRole("button", { name: texts.submit, exact: true }).click(),
  ]);
  await assertFormAccepted(page, response?.status());
}

/** A 403 after a form post is the CSRF check refusing the browser's own form: say so instead of timing out. */
export async function assertFormAccepted(page: Page, status: number | undefined): Promise<void> {
  if (status !== 403) return;
  const heading = await page.getByRole("heading", { level: 1 }).textContent();
  assert.fail(
    `the server refused the form with 403 («${heading}»): the CSRF check rejected a real browser's post`,
  );
}

export async function signIn(
  page: Page,
  baseUrl: string,
  credentials: { login: string; password: string },
  texts: Texts = RU,
): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await submitSignIn(page, credentials, texts);
}

export async function textOf(page: Page, testId: string): Promise<string> {
  const text = await page.getByTestId(testId).textContent();
  return (text ?? "").replace(/\s+/g, " ").trim();
}

/** The sign-in page answered with the seed's failure sentence, and nothing let the person in. */
export async function assertSignInRefused(page: Page, texts: Texts = RU): Promise<void> {
  assert.equal(new URL(page.url()).pathname, "/sign-in");
  assert.equal(await textOf(page, "error"), texts.failed);
  assert.equal(await page.getByTestId("user-name").count(), 0, "no user is shown after a refusal");
  assert.equal(await page.getByRole("button", { name: texts.signOut }).count(), 0);
}

/** The cabinet shell for this user: name, enterprise and «Выйти» in the header. */
export async function assertInCabinet(
  page: Page,
  user: { fullName: string; enterprise: string },
  texts: Texts = RU,
): Promise<void> {
  assert.equal(await textOf(page, "user-name"), user.fullName);
  assert.equal(await textOf(page, "enterprise-name"), user.enterprise);
  assert.equal(await page.getByRole("button", { name: texts.signOut, exact: true }).count(), 1);
}

/** Presses «Выйти» (or «Sign out») in the header and waits for the page it leads to. */
export async function signOut(page: Page, texts: Texts = RU): Promise<void> {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: "load" }),
    page.getByRole("button", { name: texts.signOut, exact: true }).click(),
  ]);
  await assertFormAccepted(page, response?.status());
}

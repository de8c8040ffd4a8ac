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

/** The recovery pages (seed, «Восстановление пароля»), the new-password page and the mails, per language. */
export const RECOVERY_RU = {
  title: "Восстановление пароля",
  intro:
    "Для восстановления доступа введите имя пользователя и адрес электронной почты, который был указан при регистрации.",
  login: "Имя пользователя",
  email: "Адрес электронной почты",
  submit: "Отправить",
  sent: "На ваш email отправлена ссылка для восстановления пароля.",
  back: "Назад к авторизации",
  failed: "Такой пользователь не существует или неверно указан e-mail.",
  failedHint:
    "Введите, пожалуйста, корректные данные или обратитесь к администратору вашего магазина или в службу поддержки",
  linkInvalidTitle: "Ссылка недействительна",
  requestNew: "Запросить новую ссылку",
  newPasswordTitle: "Новый пароль",
  newPassword: "Новый пароль",
  repeat: "Повторите новый пароль",
  save: "Сохранить",
  passwordChanged: "Пароль изменен. Войдите с новым паролем.",
  ruleLength: "Пароль должен содержать от 8 до 20 символов включительно.",
  ruleCharset: "Пароль может содержать только латинские буквы (прописные и строчные) и цифры.",
  ruleLetterAndDigit: "Пароль должен содержать как буквы, так и цифры.",
  ruleHistory: "Пароль не может повторять ни один из последних трех паролей этой учетной записи.",
  ruleMismatch: "Пароли не совпадают.",
  resetMailSubject: "Восстановление пароля в личном кабинете",
  resetMailValidity: "Ссылка действительна в течение 30 минут.",
  changedMailSubject: "Пароль в личном кабинете изменен",
} as const;

export const RECOVERY_EN = {
  title: "Password recovery",
  intro: "To restore access, enter your user name and the e-mail address given at registration.",
  login: "User name",
  email: "E-mail address",
  submit: "Send",
  sent: "A password recovery link has been sent to your e-mail.",
  back: "Back to sign-in",
  failed: "No such user exists or the e-mail is incorrect.",
  failedHint:
    "Please enter correct details or contact the administrator of your shop or the support service at",
  linkInvalidTitle: "This link is no longer valid",
  requestNew: "Request a new link",
  newPasswordTitle: "New password",
  newPassword: "New password",
  repeat: "Repeat the new password",
  save: "Save",
  passwordChanged: "Your password has been changed. Sign in with the new password.",
  ruleLength: "The password must be 8 to 20 characters long.",
  ruleCharset: "The password may contain only Latin letters (upper and lower case) and digits.",
  ruleLetterAndDigit: "The password must contain both letters and digits.",
  ruleHistory: "The password must not repeat any of the last 3 passwords of this account.",
  ruleMismatch: "The passwords do not match.",
  resetMailSubject: "Password recovery for the merchant cabinet",
  resetMailValidity: "The link is valid for 30 minutes.",
  changedMailSubject: "Your merchant cabinet password was changed",
} as const;

export type RecoveryTexts = typeof RECOVERY_RU | typeof RECOVERY_EN;

/** Fills «Имя пользователя» and «Адрес электронной почты», presses «Отправить» and waits for the answer page. */
export async function submitRecovery(
  page: Page,
  request: { login: string; email: string },
  texts: RecoveryTexts = RECOVERY_RU,
): Promise<void> {
  await page.getByLabel(texts.login, { exact: true }).fill(request.login);
  await page.getByLabel(texts.email, { exact: true }).fill(request.email);
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: "load" }),
    page.getByRole("button", { name: texts.submit, exact: true }).click(),
  ]);
  await assertFormAccepted(page, response?.status());
}

/** Fills «Новый пароль» and «Повторите новый пароль», presses «Сохранить»; returns the answer's status. */
export async function submitNewPassword(
  page: Page,
  passwords: { password: string; repeat?: string },
  texts: RecoveryTexts = RECOVERY_RU,
): Promise<number | undefined> {
  await page.getByLabel(texts.newPassword, { exact: true }).fill(passwords.password);
  await page.getByLabel(texts.repeat, { exact: true }).fill(passwords.repeat ?? passwords.password);
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: "load" }),
    page.getByRole("button", { name: texts.save, exact: true }).click(),
  ]);
  await assertFormAccepted(page, response?.status());
  return response?.status();
}

/** The texts of the failed password rules listed on the page, in page order. */
export async function passwordProblemsOn(page: Page): Promise<string[]> {
  const items = await page.getByTestId("error").locator("li").allTextContents();
  return items.map((item) => item.replace(/\s+/g, " ").trim());
}

// The seed's password rules, the single place every password-setting path asks (reset link, Settings, CLI, bootstrap):
// «Пароль может иметь длину от 8 до 20 символов включительно и содержать символы латинского алфавита
//  (прописные и строчные) и цифры. Одновременное наличие в пароле как буквенных, так и цифровых символов обязательно.
//  Также пароль не может повторять ни один из последних трех паролей, использованных ранее для этой учетной записи.»

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  /** How many of the account's latest passwords (the current one included) a new one must differ from. */
  history: number;
}

export const SEED_POLICY: PasswordPolicy = { minLength: 8, maxLength: 20, history: 3 };

export type PasswordRule = "length" | "charset" | "letterAndDigit" | "history";

/** The rules that do not need the account's history, in the order they are shown. */
export function checkPasswordShape(password: string, policy: PasswordPolicy): PasswordRule[] {
  const failed: PasswordRule[] = [];
  // Length in characters (code points), so a non-Latin character is not counted as two.
  const length = [...password].length;
  if (length < policy.minLength || length > policy.maxLength) failed.push("length");
  if (!/^[A-Za-z0-9]*$/.test(password)) failed.push("charset");
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) failed.push("letterAndDigit");
  return failed;
}

/**
 * All failed rules: shape first, then history. `matchesHistory` verifies against the account's last
 * `policy.history` hashes; it is only called when the shape is valid, so a bad password costs no hashing.
 */
export async function checkPassword(
  password: string,
  policy: PasswordPolicy,
  matchesHistory?: (password: string) => Promise<boolean>,
): Promise<PasswordRule[]> {
  const failed = checkPasswordShape(password, policy);
  if (failed.length === 0 && matchesHistory && (await matchesHistory(password))) failed.push("history");
  return failed;
}

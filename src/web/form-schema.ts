/** Longest value accepted for each kind of form field; anything longer is a 400, never a 500. */
export const FIELD_LIMITS = { login: 200, email: 320, password: 1024, next: 2000 } as const;

/**
 * The body schema of a form: every named field an optional string of at most its length, plus `_csrf`.
 * Optional, so an empty or partial form reaches the service and gets a localized answer; strings only, so a
 * repeated field (`login=a&login=b` parses to an array) is refused by validation.
 */
export function formBodySchema(fields: Record<string, number>) {
  const properties: Record<string, { type: "string"; maxLength: number }> = {
    _csrf: { type: "string", maxLength: 100 },
  };
  for (const [name, maxLength] of Object.entries(fields)) properties[name] = { type: "string", maxLength };
  return { type: "object", properties } as const;
}

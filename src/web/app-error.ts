export const APP_ERROR_STATUS = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type AppErrorCode = keyof typeof APP_ERROR_STATUS;

/** Failures that are not an expected outcome of a form; the error handler turns them into a localized page. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  constructor(code: AppErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
  get statusCode(): number {
    return APP_ERROR_STATUS[this.code];
  }
}

/** Status for anything thrown: AppError's own, Fastify's 4xx (validation, body parsing), else 500. */
export function statusOf(error: unknown): number {
  if (error instanceof AppError) return error.statusCode;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) return status;
  if ((error as { validation?: unknown } | null)?.validation) return 400;
  return 500;
}

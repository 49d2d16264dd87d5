/** One entry per offending field. `path` is dotted: `lines.2.quantity`. */
export interface ErrorDetail {
  path: string;
  message: string;
  code?: string;
}

/** An error the API reports to clients as-is. Services throw these; `app.onError` maps them once. */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 428 | 429 | 500,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly current?: unknown,
    /** 422 IMPORT_REJECTED: the full import report, sent as `error.report`. */
    readonly report?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string, id: string) => new AppError(404, 'NOT_FOUND', `${what} ${id} not found`);
export const forbidden = (message: string) => new AppError(403, 'FORBIDDEN', message);
export const conflict = (code: string, message: string, details?: ErrorDetail[]) => new AppError(409, code, message, details);
/** Business rule broken by otherwise well-formed input (422). */
export const unprocessable = (code: string, message: string, details?: ErrorDetail[]) => new AppError(422, code, message, details);
export const invalid = (message: string, details: ErrorDetail[]) => new AppError(400, 'VALIDATION_FAILED', message, details);
export const stale = (what: string, current: unknown) =>
  new AppError(412, 'VERSION_MISMATCH', `${what} was changed by someone else; here is the current version — merge your change and retry with its ETag`, undefined, current);

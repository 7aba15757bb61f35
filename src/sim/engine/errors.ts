/** Game errors: thrown by operation handlers, turned into the API's error body by the dispatcher. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
  }

  toBody(): { error: { message: string; code: number; data?: Record<string, unknown> } } {
    return { error: this.data === undefined ? { message: this.message, code: this.code } : { message: this.message, code: this.code, data: this.data } };
  }
}

export const notFound = (message: string, data?: Record<string, unknown>): ApiError => new ApiError(404, 404, message, data);

/** Body validation failure: 422 with data = field → messages (MECHANICS.md §5.1). */
export const invalidBody = (field: string, message: string): ApiError =>
  new ApiError(422, 422, `Request body failed validation: ${field} ${message}`, { [field]: [message] });

export const gameError = (code: number, message: string, data?: Record<string, unknown>): ApiError => new ApiError(400, code, message, data);

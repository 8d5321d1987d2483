import type { MessageKey } from './chat/i18n/catalog.js';

/** A parameter is plain text, a number, or a catalog key translated in the reader's language. */
export type ErrorParam = string | number | { key: MessageKey };
export type ErrorParams = Record<string, ErrorParam>;

/**
 * Errors a user can do something about. Each carries a catalog key and parameters; the runtime
 * renders them once, privately, in the user's language.
 */
export abstract class UserError extends Error {
  abstract readonly kind: 'not_found' | 'forbidden' | 'invalid_input' | 'conflict';

  constructor(
    readonly messageKey: MessageKey,
    readonly params: ErrorParams = {},
    /** For form submissions: the field the problem belongs to. */
    readonly field?: string,
  ) {
    super(messageKey);
  }
}

export class NotFoundError extends UserError {
  readonly kind = 'not_found';
}

export class ForbiddenError extends UserError {
  readonly kind = 'forbidden';
}

export class InvalidInputError extends UserError {
  readonly kind = 'invalid_input';
}

export class ConflictError extends UserError {
  readonly kind = 'conflict';
}

/** Problems with fields of a submitted form, each shown next to its field. */
export class FieldErrors extends Error {
  constructor(readonly errors: Record<string, { key: MessageKey; params?: ErrorParams }>) {
    super(`invalid fields: ${Object.keys(errors).join(', ')}`);
  }
}

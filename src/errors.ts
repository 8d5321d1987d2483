import type { MessageKey, TranslateParams } from './chat/i18n/catalog.js';

/**
 * Errors a user can do something about. Each carries a catalog key and parameters; the runtime
 * renders them once, privately, in the user's language.
 */
export abstract class UserError extends Error {
  abstract readonly kind: 'not_found' | 'forbidden' | 'invalid_input' | 'conflict';

  constructor(
    readonly messageKey: MessageKey,
    readonly params: TranslateParams = {},
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

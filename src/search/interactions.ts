import { MORE_ACTION, parseMoreValue, scopeKinds, searchMessage } from './views.js';
import type { ButtonHandler } from '../chat/interactions.js';
import { InvalidInputError } from '../errors.js';

/** "More results": the next page of the same search, as a new private reply. */
export const searchButtons: ButtonHandler[] = [
  {
    actionId: MORE_ACTION,
    async run(ctx, value) {
      const more = parseMoreValue(value);
      if (!more) throw new InvalidInputError('core.error.unknownAction');
      const page = await ctx.services.search.search(more.text, scopeKinds(more.scope), more.offset, ctx.actor);
      return { type: 'private', message: searchMessage(page, more.scope, more.text, ctx.clock.now(), ctx.t) };
    },
  },
];

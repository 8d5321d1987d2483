import { z } from 'zod';
import { scopeKinds, searchMessage, type SearchScope } from './views.js';
import { SEARCH_LIMITS } from './service.js';
import { subcommand, type SubcommandDef } from '../chat/command-def.js';
import type { MessageKey } from '../chat/i18n/catalog.js';

/** `search TEXT` for one command: `/fault search`, `/request search`, `/change search`, `/ops search`. */
export function searchSubcommand(scope: SearchScope, description: MessageKey): SubcommandDef {
  return subcommand({
    name: 'search',
    description,
    role: 'requester',
    options: { text: { kind: 'string', rest: true, schema: z.string().trim().min(1).max(SEARCH_LIMITS.text), description: 'search.option.text' } },
    run: async (ctx, { text }) => {
      const page = await ctx.services.search.search(text, scopeKinds(scope), 0, ctx.actor);
      return { type: 'private', message: searchMessage(page, scope, text, ctx.clock.now(), ctx.t) };
    },
  });
}

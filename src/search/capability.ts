import { searchSubcommand } from './commands.js';
import { searchButtons } from './interactions.js';
import type { Capability } from '../capability.js';

/**
 * Search across records (policy 3.3): `search TEXT` on `/request` and `/change`, `/ops search` across
 * every kind, and the "More results" button. `/fault search` is part of `/fault` itself.
 */
export const searchCapability: Capability = {
  name: 'search',
  subcommands: [
    { command: 'ops', subcommands: [searchSubcommand('all', 'search.command.ops')] },
    { command: 'request', subcommands: [searchSubcommand('request', 'search.command.request')] },
    { command: 'change', subcommands: [searchSubcommand('change', 'search.command.change')] },
  ],
  buttons: searchButtons,
};

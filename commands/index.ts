import { opsCommand } from './ops.js';
import type { CommandDef } from '../src/chat/command-def.js';
import { CAPABILITIES } from '../src/capabilities.js';

/**
 * Every slash command: each capability's from its descriptor, then the core `/ops` (help, roles,
 * settings, audit, links), with the subcommands capabilities add to it. Slack's manifest and the
 * runtime are built from this list.
 */
export const COMMANDS: CommandDef[] = [...CAPABILITIES.flatMap((c) => c.commands ?? []), opsCommand(() => COMMANDS)];
for (const extension of CAPABILITIES.flatMap((c) => c.subcommands ?? [])) {
  COMMANDS.find((c) => c.name === extension.command)?.subcommands.push(...extension.subcommands);
}

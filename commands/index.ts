import fault from './fault.js';
import { opsCommand } from './ops.js';
import type { CommandDef } from '../src/chat/command-def.js';

/** Every slash command; Slack's manifest and the runtime are built from this list. */
export const COMMANDS: CommandDef[] = [];
COMMANDS.push(fault, opsCommand(() => COMMANDS));

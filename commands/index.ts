import change from './change.js';
import fault from './fault.js';
import feedback from './feedback.js';
import { opsCommand } from './ops.js';
import { opsSlaSubcommands } from './ops-sla.js';
import { opsCiSubcommands } from './ops-ci.js';
import { opsExportSubcommands } from './ops-export.js';
import { searchSubcommand } from '../src/search/commands.js';
import oncall from './oncall.js';
import request from './request.js';
import type { CommandDef } from '../src/chat/command-def.js';

/** Every slash command; Slack's manifest and the runtime are built from this list. */
export const COMMANDS: CommandDef[] = [];
COMMANDS.push(fault, change, feedback, opsCommand(() => COMMANDS));
COMMANDS.push(request, oncall);
// `/ops sla show|set` belong to the SLA capability; they join /ops here.
COMMANDS.find((c) => c.name === 'ops')?.subcommands.push(...opsSlaSubcommands);
// `/ops ci ...` belongs to the configuration items capability.
COMMANDS.find((c) => c.name === 'ops')?.subcommands.push(...opsCiSubcommands, searchSubcommand('all', 'search.command.ops'), ...opsExportSubcommands);
// `search TEXT` on each record command belongs to the search capability.
COMMANDS.find((c) => c.name === 'request')?.subcommands.push(searchSubcommand('request', 'search.command.request'));
COMMANDS.find((c) => c.name === 'change')?.subcommands.push(searchSubcommand('change', 'search.command.change'));

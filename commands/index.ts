import change from './change.js';
import fault from './fault.js';
import feedback from './feedback.js';
import { opsCommand } from './ops.js';
import { opsSlaSubcommands } from './ops-sla.js';
import { opsReportSubcommands } from './ops-report.js';
import oncall from './oncall.js';
import request from './request.js';
import type { CommandDef } from '../src/chat/command-def.js';

/** Every slash command; Slack's manifest and the runtime are built from this list. */
export const COMMANDS: CommandDef[] = [];
COMMANDS.push(fault, change, feedback, opsCommand(() => COMMANDS));
COMMANDS.push(request, oncall);
// `/ops sla show|set` belong to the SLA capability; they join /ops here.
COMMANDS.find((c) => c.name === 'ops')?.subcommands.push(...opsSlaSubcommands);
// `/ops report alerts` belongs to the monitoring capability.
COMMANDS.find((c) => c.name === 'ops')?.subcommands.push(...opsReportSubcommands);

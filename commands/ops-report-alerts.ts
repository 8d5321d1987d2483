import { z } from 'zod';
import { subcommand, type SubcommandDef } from '../src/chat/command-def.js';
import { REPORT_PERIODS, alertReportMessage } from '../src/monitoring/report.js';

/** `/ops report alerts [week|month]`: the monitoring analysis for engineers (issue #11 item 9). Joined to `/ops` by the monitoring capability (src/monitoring/capability.ts). */
export const opsReportSubcommands: SubcommandDef[] = [
  subcommand({
    group: 'report',
    name: 'alerts',
    description: 'monitoring.report.command',
    role: 'engineer',
    options: { period: { kind: 'choice', choices: REPORT_PERIODS, schema: z.enum(REPORT_PERIODS).default('week'), description: 'monitoring.report.optionPeriod' } },
    run: async (ctx, { period }) => ({ type: 'private', message: alertReportMessage(await ctx.services.alertReports.forPeriod(ctx.actor, period), ctx.t) }),
  }),
];

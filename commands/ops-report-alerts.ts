import { z } from 'zod';
import { subcommand, type SubcommandDef } from '../src/chat/command-def.js';
import { DEFAULT_ALERT_PERIOD, alertReportMessage } from '../src/monitoring/report.js';
import { periodOrThrow } from '../src/reports/period.js';

/**
 * `/ops report alerts [period]`: the monitoring analysis for engineers (issue #11 item 9). The period is
 * read as for `/ops report weekly|monthly` (src/reports/period.ts: `week`, `month`, `last-week`,
 * `2026-12`, `FROM TO` … in TZ_NAME; default the last whole week); a text that is none gets the reason.
 * Joined to `/ops` by the monitoring capability (src/monitoring/capability.ts).
 */
export const opsReportSubcommands: SubcommandDef[] = [
  subcommand({
    group: 'report',
    name: 'alerts',
    description: 'monitoring.report.command',
    role: 'engineer',
    options: { period: { kind: 'string', rest: true, schema: z.string().trim().max(40).optional(), description: 'monitoring.report.optionPeriod' } },
    run: async (ctx, { period }) => {
      const named = periodOrThrow(period || DEFAULT_ALERT_PERIOD, ctx.timeZone, ctx.clock.now());
      return { type: 'private', message: alertReportMessage(await ctx.services.alertReports.forPeriod(ctx.actor, named), ctx.t) };
    },
  }),
];

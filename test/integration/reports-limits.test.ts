import { afterEach, describe, expect, it } from 'vitest';
import { translator } from '../../src/chat/i18n/catalog.js';
import { ManualClock } from '../../src/clock.js';
import { parseAlertmanager } from '../../src/monitoring/normalize.js';
import { withAttachment } from '../../src/platforms/discord/deliverer.js';
import { renderMessage as renderSlack } from '../../src/platforms/slack/render.js';
import { renderChartAsync } from '../../src/reports/chart.js';
import { withChart } from '../../src/reports/files.js';
import { parsePeriod } from '../../src/reports/period.js';
import { validateMessage as validateDiscord } from '../fakes/discord/validator.js';
import { validateMessage as validateSlack } from '../fakes/slack/block-validator.js';
import { amBody } from '../helpers/alerts.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';

const worlds: TestWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.store.close();
});

describe('the operations report at its largest, as Slack and Discord receive it', { timeout: 180_000 }, () => {
  it('passes the fakes’ limits in en and zh-CN with every section kept and the chart in the Discord embed', async () => {
    const w = await openTestWorld({ clock: new ManualClock(new Date('2026-11-23T09:00:00Z')) });
    worlds.push(w);
    const anna = await w.actor('anna');
    // 30 faults on 30 configuration items with names of the longest allowed (150 characters), none
    // resolved: 30 records overdue by the end of the week, more than the report lists.
    for (let i = 0; i < 30; i++) {
      const system = `${String(i).padStart(2, '0')}-${'core-database-cluster-primary-'.repeat(5)}`.slice(0, 150);
      await w.services.faults.report(anna, { title: `Outage ${i}`, description: 'down', category: 'network', impact: 1, urgency: 1, affectedSystem: system });
    }
    // Alerts with long names (alertname up to the label's length): the noisiest list cuts them.
    for (let i = 0; i < 6; i++) {
      const parsed = parseAlertmanager(JSON.parse(JSON.stringify(amBody(`g${i}`, [{ name: `${'VeryLongAlertNameForTheDatabaseReplicationLag'.repeat(4)}${i}`, fingerprint: `a${String(i).padStart(15, '0')}` }]))));
      if (!parsed.ok) throw new Error(parsed.reason);
      await w.services.alerts.ingest(parsed.notification);
    }
    w.clock.set(new Date('2026-11-30T09:00:00Z'));
    const period = parsePeriod('last-week', 'Europe/Berlin', w.clock.now());
    if (!period) throw new Error('no period');

    for (const locale of ['en', 'zh-CN'] as const) {
      const t = translator(locale);
      const report = await w.services.reports.operations(null, 'weekly', period, t, 'Europe/Berlin');
      const labels = (report.message.fields ?? []).map((f) => f.label);
      expect(labels).toContain(t('reports.alerts.label'));
      expect(labels).toContain(t('reports.ops.topItems'));
      // The 30 faults and the 6 alert faults are all open past their resolution deadline.
      expect(report.message.body).toContain(t('reports.ops.breaches', { count: 36 }));

      // Slack: the blocks of chat.postMessage and of files.completeUploadExternal are the same.
      const slack = renderSlack(report.message);
      expect(validateSlack(slack)).toBeUndefined();
      expect(slack.blocks.length).toBeLessThanOrEqual(50);
      for (const label of labels) expect(JSON.stringify(slack.blocks)).toContain(label);

      // Discord: the multipart message with the chart shown in the embed.
      const message = withChart(report.message, await renderChartAsync(report.chart, t), 'weekly', period.from, 'Europe/Berlin');
      const request = await withAttachment(message);
      expect(validateDiscord(request.body, { create: true })).toEqual([]);
      const body = request.body as { embeds: { image?: { url: string }; fields?: { name: string }[] }[] };
      expect(body.embeds[0]?.image).toEqual({ url: 'attachment://weekly-2026-11-23.png' });
      expect(body.embeds[0]?.fields?.map((f) => f.name)).toEqual(labels);
      expect(request.files?.[0]?.name).toBe('weekly-2026-11-23.png');
    }
  });
});

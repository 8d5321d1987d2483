import { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/chat/model.js';
import { createRest } from '../../src/platforms/discord/rest.js';
import { DiscordDeliverer } from '../../src/platforms/discord/deliverer.js';
import { DirectChannels, SlackDeliverer } from '../../src/platforms/slack/deliverer.js';
import { webClientOptions } from '../../src/platforms/slack/web-client.js';
import { FakeDiscordServer } from '../fakes/discord/server.js';
import { FakeSlackServer } from '../fakes/slack/server.js';

// A stand-in for a chart: the platforms check the bytes' size, not that they are a picture.
const png = Buffer.from('\x89PNG\r\n\x1a\n-not-really-an-image-but-bytes');
const report: ChatMessage = {
  fallback: 'Weekly operations report · 2026-11-23 – 2026-11-29',
  title: 'Weekly operations report · 2026-11-23 – 2026-11-29',
  color: 'blue',
  body: 'SLA breaches and overdue records: 0',
  fields: [{ label: 'Alerts', value: 'No alerts.' }],
  context: ['Definitions: docs/kpis.md'],
  attachment: { name: 'weekly-2026-11-23.png', mimeType: 'image/png', base64: png.toString('base64'), title: 'Weekly operations report', purpose: 'report' },
};

describe('a report with its chart, as the platforms receive it', () => {
  it('Slack: the upload flow shares the file with the report as blocks; the fake refuses blocks Slack refuses', async () => {
    const fake = await FakeSlackServer.start();
    try {
      const client = new WebClient(fake.botToken, webClientOptions(fake.apiUrl));
      await new SlackDeliverer(client, new DirectChannels(client)).post({ platform: 'slack', kind: 'channel', id: 'CMGMT' }, report);
      const [file] = fake.filesIn('CMGMT');
      expect(file?.bytes?.equals(png)).toBe(true);
      expect(file?.initialComment).toBeUndefined();
      expect(JSON.stringify(file?.blocks)).toContain('Weekly operations report · 2026-11-23 – 2026-11-29');
      expect(JSON.stringify(file?.blocks)).toContain('No alerts.');

      const got = await client.files.getUploadURLExternal({ filename: 'x.png', length: 3 });
      await fetch(got.upload_url ?? '', { method: 'POST', body: 'abc' });
      const tooLong = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
      await expect(client.files.completeUploadExternal({ files: [{ id: got.file_id ?? '' }], channel_id: 'CMGMT', blocks: tooLong })).rejects.toThrow('invalid_blocks');
    } finally {
      await fake.stop();
    }
  });

  it('Discord: the PNG as files[0], shown in the embed through attachment://NAME; a CSV is not put in the embed; the fake refuses other image schemes', async () => {
    const fake = await FakeDiscordServer.start();
    try {
      const channel = '111111111111111111';
      fake.addChannel(channel);
      const deliverer = new DiscordDeliverer(createRest({ token: fake.botToken, apiUrl: fake.apiUrl }));
      const ref = await deliverer.post({ platform: 'discord', kind: 'channel', id: channel }, report);
      const stored = fake.message(ref.messageId);
      if (!stored) throw new Error('not stored');
      expect(stored.embeds[0]?.image).toEqual({ url: 'attachment://weekly-2026-11-23.png' });
      expect(fake.embedImage(stored)?.bytes.equals(png)).toBe(true);

      const csv: ChatMessage = { ...report, attachment: { name: 'kpi.csv', mimeType: 'text/csv; charset=utf-8', base64: Buffer.from('a,b\r\n').toString('base64') } };
      const plain = fake.message((await deliverer.post({ platform: 'discord', kind: 'channel', id: channel }, csv)).messageId);
      expect(plain?.embeds[0]?.image).toBeUndefined();
      expect(plain?.attachments.map((a) => a.filename)).toEqual(['kpi.csv']);
      expect(fake.refusals).toEqual([]);

      const response = await fetch(`${fake.apiUrl}/v10/channels/${channel}/messages`, {
        method: 'POST',
        headers: { authorization: `Bot ${fake.botToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ embeds: [{ title: 'x', image: { url: 'ftp://example.com/chart.png' } }] }),
      });
      expect(response.status).toBe(400);
      expect(fake.refusals.at(-1)?.problems.join(' ')).toContain('Scheme');
    } finally {
      await fake.stop();
    }
  });
});

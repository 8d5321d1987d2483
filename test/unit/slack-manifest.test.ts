import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineCommand, subcommand } from '../../src/chat/command-def.js';
import { buildSlackManifest, usageHint } from '../../src/platforms/slack/manifest.js';
import { COMMANDS } from '../../commands/index.js';

const done = async () => ({ type: 'done' as const });

// A small command built here, so the manifest's shape is pinned down whatever the real commands become.
const oncall = defineCommand({
  name: 'oncall',
  description: 'slack.manifest.description',
  bare: 'now',
  subcommands: [
    subcommand({ name: 'now', description: 'slack.form.close', role: 'requester', options: {}, run: done }),
    subcommand({
      name: 'override',
      description: 'slack.form.close',
      role: 'manager',
      options: {
        user: { schema: z.string(), kind: 'user', description: 'slack.form.close' },
        from: { schema: z.string(), kind: 'string', description: 'slack.form.close' },
        period: { schema: z.enum(['day', 'week']).optional(), kind: 'choice', choices: ['day', 'week'], description: 'slack.form.close' },
      },
      run: done,
    }),
  ],
});

describe('Slack app manifest', () => {
  it('declares each command with a usage hint built from its subcommands and options', () => {
    expect(usageHint(oncall)).toBe('override <@user> <FROM> [day|week]');
    const manifest = buildSlackManifest([oncall], { publicUrl: 'https://ops.example.org/' });
    expect(manifest.features?.slash_commands).toEqual([
      {
        command: '/oncall',
        description: 'IT operations in Slack: report faults, request services, approve changes and see who is on call.',
        should_escape: true,
        usage_hint: 'override <@user> <FROM> [day|week]',
        url: 'https://ops.example.org/slack/events',
      },
    ]);
    expect(manifest.settings).toMatchObject({
      interactivity: { is_enabled: true, request_url: 'https://ops.example.org/slack/events', message_menu_options_url: 'https://ops.example.org/slack/events' },
      socket_mode_enabled: false,
    });
    expect(manifest.oauth_config?.scopes?.bot).toEqual([
      'commands',
      'chat:write',
      'chat:write.public',
      'im:write',
      'users:read',
      'channels:history',
      'groups:history',
      'im:history',
      'mpim:history',
    ]);
  });

  it('uses a placeholder URL without PUBLIC_URL, and no URLs at all in Socket Mode', () => {
    expect(buildSlackManifest([oncall]).settings?.interactivity?.request_url).toBe('https://example.com/slack/events');
    const socket = buildSlackManifest([oncall], { socketMode: true });
    expect(socket.settings).toMatchObject({ socket_mode_enabled: true, interactivity: { is_enabled: true } });
    expect(JSON.stringify(socket)).not.toContain('/slack/events');
  });

  it('enables the Home tab and subscribes to app_home_opened at the events URL (none in Socket Mode)', () => {
    const manifest = buildSlackManifest([oncall], { publicUrl: 'https://ops.example.org' });
    expect(manifest.features?.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.settings?.event_subscriptions).toEqual({ bot_events: ['app_home_opened'], request_url: 'https://ops.example.org/slack/events' });
    expect(buildSlackManifest([oncall], { socketMode: true }).settings?.event_subscriptions).toEqual({ bot_events: ['app_home_opened'] });
  });

  it('covers every real command within Slack’s manifest limits', () => {
    const manifest = buildSlackManifest(COMMANDS);
    const commands = manifest.features?.slash_commands ?? [];
    expect(commands.map((c) => c.command)).toEqual(COMMANDS.map((c) => `/${c.name}`));
    for (const command of commands) {
      expect(command.command.length).toBeLessThanOrEqual(32);
      expect(command.description.length).toBeGreaterThan(0);
      expect(command.usage_hint?.length ?? 0).toBeLessThanOrEqual(1000);
    }
    expect(manifest.display_information.description?.length).toBeLessThanOrEqual(140);
  });
});

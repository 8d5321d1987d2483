// The Slack app manifest, generated from the command definitions so that Slack's list of slash
// commands (and their usage hints) never drifts from what the bot understands.
import type { AppsManifestCreateArguments } from '@slack/web-api';
import type { CommandDef } from '../../chat/command-def.js';
import { usageOf } from '../../chat/command-router.js';
import { translator } from '../../chat/i18n/catalog.js';
import { SLACK_EVENTS_PATH } from './http-receiver.js';
import { truncatePlain } from './truncate.js';

export type SlackManifest = AppsManifestCreateArguments['manifest'];

export interface ManifestOptions {
  /** The bot's public base URL (PUBLIC_URL); Slack sends commands and clicks to `<url>/slack/events`. */
  publicUrl?: string;
  /** Socket Mode apps need no request URLs. */
  socketMode?: boolean;
}

// The history scopes let the outbox find a message it may already have posted before a crash (by its
// metadata) instead of posting it twice (README, "Exactly once"). `users:read` lets users.info give the
// locale of someone whose first contact is a slash command, which carries none (user-locales.ts).
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'im:write',
  'users:read',
  'channels:history',
  'groups:history',
  'im:history',
  'mpim:history',
] as const;
/** Events API subscriptions: opening the Home tab publishes the personal overview. */
export const BOT_EVENTS = ['app_home_opened'] as const;
const APP_NAME = 'opsdesk';
const PLACEHOLDER_URL = 'https://example.com';

// Slack's manifest limits.
const APP_DESCRIPTION_MAX = 140;
const COMMAND_DESCRIPTION_MAX = 2000;
const USAGE_HINT_MAX = 1000;

/** `list [mine|open|all] | show <ID> | search <TEXT>`: every form of the command after its name. */
export function usageHint(command: CommandDef): string {
  const prefix = `/${command.name}`;
  const forms = command.subcommands
    .map((sub) => usageOf(command, sub).slice(prefix.length).trim())
    .filter((form) => form.length > 0);
  return truncatePlain(forms.join(' | '), USAGE_HINT_MAX);
}

export function buildSlackManifest(commands: CommandDef[], options: ManifestOptions = {}): SlackManifest {
  // Manifests are read by admins setting the app up; they are written in English.
  const t = translator('en');
  const socketMode = options.socketMode ?? false;
  const requestUrl = `${(options.publicUrl ?? PLACEHOLDER_URL).replace(/\/+$/, '')}${SLACK_EVENTS_PATH}`;
  return {
    display_information: {
      name: APP_NAME,
      description: truncatePlain(t('slack.manifest.description'), APP_DESCRIPTION_MAX),
      background_color: '#1d3557',
    },
    features: {
      bot_user: { display_name: APP_NAME, always_online: true },
      // The personal overview lives in the Home tab; the Messages tab keeps the bot's DMs.
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      slash_commands: commands.map((command) => {
        const hint = usageHint(command);
        return {
          command: `/${command.name}`,
          description: truncatePlain(t(command.description), COMMAND_DESCRIPTION_MAX),
          // Escaping makes Slack send mentions as <@U123|name> and channels as <#C123|name>, which the parser reads.
          should_escape: true,
          ...(hint ? { usage_hint: hint } : {}),
          ...(socketMode ? {} : { url: requestUrl }),
        };
      }),
    },
    oauth_config: { scopes: { bot: [...BOT_SCOPES] } },
    settings: {
      // Options for searchable choices (external_select) are asked at the same URL as everything else.
      interactivity: { is_enabled: true, ...(socketMode ? {} : { request_url: requestUrl, message_menu_options_url: requestUrl }) },
      event_subscriptions: { bot_events: [...BOT_EVENTS], ...(socketMode ? {} : { request_url: requestUrl }) },
      org_deploy_enabled: false,
      socket_mode_enabled: socketMode,
      token_rotation_enabled: false,
    },
  };
}

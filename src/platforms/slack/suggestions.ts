// Slack's options requests (`block_suggestion`) for the bot's external_select fields: what someone
// typed into a searchable choice (e.g. the affected system, issue #12 item 2) -> at most 100 options.
// Over HTTP they arrive at the interactivity URL (the manifest's message_menu_options_url, the same
// /slack/events), in Socket Mode through the socket; Bolt routes both to `app.options()`.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { resolveLocale, translator, type Locale } from '../../chat/i18n/catalog.js';
import type { FormOption } from '../../chat/model.js';
import { nameKey } from '../../cis/rules.js';
import type { Logger } from '../../logger.js';
import type { Suggestions } from '../port.js';
import { suggestSourceOf } from './action-ids.js';
import { SLACK_LIMITS } from './limits.js';
import type { SlackRequestMetrics } from './request-metrics.js';
import { truncatePlain } from './truncate.js';

export interface SuggestionListenerDeps {
  /** Without it, only the typed text itself is offered. */
  suggestions?: Suggestions;
  logger: Logger;
  requests: SlackRequestMetrics;
  defaultLocale: Locale;
}

/** One option of an options response: plain text of at most 75 characters, a value of at most 150. */
export interface SlackOption {
  text: { type: 'plain_text'; text: string; emoji: boolean };
  value: string;
}

const blockSuggestionSchema = z.object({
  type: z.literal('block_suggestion'),
  action_id: z.string().min(1).max(255),
  value: z.string().max(2000).default(''),
  user: z.object({ id: z.string().min(1).max(64), locale: z.string().max(32).optional() }),
});

function option(label: string, value: string): SlackOption {
  return { text: { type: 'plain_text', text: truncatePlain(label, SLACK_LIMITS.optionText), emoji: true }, value };
}

/**
 * The options for one request: matches first (values that do not fit Slack are left out, never cut:
 * a cut value would name nothing), then, unless a match is exactly what was typed, the typed text
 * itself, so that text naming no item can still be chosen as free text, as the text field allowed.
 * At most 100 in all (Slack's limit for an options response).
 */
export function suggestionOptions(query: string, matches: readonly FormOption[], asTyped: (text: string) => string): SlackOption[] {
  const typed = query.trim().replace(/\s+/g, ' ');
  const fitting = matches.filter((m) => m.value.length > 0 && m.value.length <= SLACK_LIMITS.externalOptionValue);
  const offerTyped = typed.length > 0 && typed.length <= SLACK_LIMITS.externalOptionValue && !fitting.some((m) => nameKey(m.value) === nameKey(typed));
  const room = SLACK_LIMITS.externalOptions - (offerTyped ? 1 : 0);
  const options = fitting.slice(0, room).map((m) => option(m.label, m.value));
  if (offerTyped) options.push(option(asTyped(typed), typed));
  return options;
}

/** Registers the listener for every block_suggestion; unknown action ids get an empty list. */
/** The locale stored for the person, if the core offers it; a failed read only costs the label's language. */
async function storedLocale(deps: SuggestionListenerDeps, userId: string): Promise<string | undefined> {
  try {
    return await deps.suggestions?.storedLocale?.('slack', userId);
  } catch (error) {
    deps.logger.warn({ err: error }, 'slack: stored locale not read for an options request');
    return undefined;
  }
}

export function registerSuggestionListener(app: App, deps: SuggestionListenerDeps): void {
  app.options<'block_suggestion'>({ type: 'block_suggestion' }, async ({ body, ack }) => {
    const parsed = blockSuggestionSchema.safeParse(body);
    if (!parsed.success) {
      deps.logger.warn({ problem: parsed.error.issues[0]?.message }, 'slack: options request refused');
      deps.requests.count('other', 'refused');
      return ack({ options: [] });
    }
    const { action_id: actionId, value: query, user } = parsed.data;
    const source = suggestSourceOf(actionId);
    let matches: FormOption[] = [];
    try {
      if (source && deps.suggestions) matches = await deps.suggestions.suggest(source, query.slice(0, SLACK_LIMITS.externalOptionValue), SLACK_LIMITS.externalOptions);
    } catch (error) {
      // The menu then offers the typed text alone: the form can still be sent.
      deps.logger.error({ err: error, source }, 'slack: suggestions failed');
    }
    // Slack's payload has no locale in practice: the person's stored one (the form they type in is in it).
    const t = translator(resolveLocale(user.locale ?? (await storedLocale(deps, user.id)), deps.defaultLocale));
    deps.requests.count('other', 'in_time');
    return ack({ options: source ? suggestionOptions(query, matches, (text) => t('slack.suggest.asTyped', { text })) : [] });
  });
}

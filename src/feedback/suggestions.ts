import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { suggestionCard, suggestionReplyMessage } from './cards.js';
import { recipientOf, viewsOf, type FeedbackOptions } from './delivery.js';
import { SUGGESTION_TOPICS, formatSuggestionId, type Period } from './rules.js';
import type { FeedbackSettings } from './settings.js';
import { appendAudit } from '../audit/chain.js';
import { mention } from '../chat/format.js';
import { translator } from '../chat/i18n/catalog.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import { enqueue, type OutgoingMessage } from '../outbox/outbox.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import { FeedbackSuggestion } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

export const SUGGESTION_LIMITS = { text: 2000, reply: 2000 } as const;

export const suggestionSchema = z.object({
  topic: z.enum(SUGGESTION_TOPICS),
  text: z.string().trim().min(1).max(SUGGESTION_LIMITS.text),
  anonymous: z.enum(['yes', 'no']).default('no').transform((v) => v === 'yes'),
});
export type SuggestionInput = z.output<typeof suggestionSchema>;

export const suggestionReplySchema = z.object({ reply: z.string().trim().min(1).max(SUGGESTION_LIMITS.reply) });

export function suggestionKey(id: number): string {
  return `suggestion:${id}`;
}

/** Suggestions to the IT department (policy 5.3), named or anonymous; engineers answer named ones. */
export class SuggestionService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: FeedbackSettings,
    private readonly options: FeedbackOptions,
  ) {}

  /** Stores the suggestion and posts it to the IT channel; `posted` is false when no channel is set. */
  async submit(actor: Actor, input: SuggestionInput): Promise<{ suggestion: FeedbackSuggestion; posted: boolean }> {
    const channel = await this.settings.itChannel();
    const suggestion = await this.store.transaction(async (manager) => {
      const now = this.clock.now();
      const created = await manager.save(
        FeedbackSuggestion,
        manager.create(FeedbackSuggestion, {
          topic: input.topic,
          text: input.text,
          // Anonymous means anonymous: neither the author nor their platform is kept.
          authorId: input.anonymous ? null : actor.personId,
          platform: input.anonymous ? null : actor.platform,
          createdAt: now,
          reply: null,
          repliedBy: null,
          repliedAt: null,
        }),
      );
      await appendAudit(manager, now, {
        actor: input.anonymous ? { personId: null, displayName: 'anonymous' } : actor,
        action: 'feedback.suggestion.submitted',
        recordType: 'feedback_suggestion',
        recordId: formatSuggestionId(created.id),
        before: null,
        after: { topic: created.topic, anonymous: input.anonymous },
      });
      await this.post(manager, created, now);
      return created;
    });
    this.options.onOutbox?.();
    return { suggestion, posted: channel !== undefined };
  }

  /** The suggestion an engineer is about to answer: named, and the engineer may answer. */
  async answerable(actor: Actor, id: number): Promise<FeedbackSuggestion> {
    const suggestion = await this.load(this.store.manager, id);
    this.checkAnswerable(actor, suggestion);
    return suggestion;
  }

  /** An engineer's answer: DMed to the author, and shown on the suggestion's card. */
  async reply(actor: Actor, id: number, text: string): Promise<FeedbackSuggestion> {
    const suggestion = await this.store.transaction(async (manager) => {
      const suggestion = await this.load(manager, id);
      this.checkAnswerable(actor, suggestion);
      const now = this.clock.now();
      const before = { reply: suggestion.reply };
      Object.assign(suggestion, { reply: text.slice(0, SUGGESTION_LIMITS.reply), repliedBy: actor.personId, repliedAt: now });
      await manager.update(FeedbackSuggestion, { id: suggestion.id }, { reply: suggestion.reply, repliedBy: actor.personId, repliedAt: now });
      await appendAudit(manager, now, {
        actor,
        action: 'feedback.suggestion.answered',
        recordType: 'feedback_suggestion',
        recordId: formatSuggestionId(suggestion.id),
        before,
        after: { reply: suggestion.reply },
      });
      await this.post(manager, suggestion, now);
      if (suggestion.authorId !== null) {
        const recipient = await recipientOf(manager, suggestion.authorId, suggestion.platform, this.options.defaultLocale);
        if (recipient) {
          const views = await viewsOf(manager, [actor.personId]);
          const view = { t: translator(recipient.locale), platform: recipient.target.platform, timeZone: this.options.timeZone };
          await enqueue(manager, now, [{ target: recipient.target, message: suggestionReplyMessage(suggestion, mention(views.get(actor.personId), recipient.target.platform), view) }]);
        }
      }
      return suggestion;
    });
    this.options.onOutbox?.();
    return suggestion;
  }

  async submittedIn(period: Period): Promise<FeedbackSuggestion[]> {
    return this.store.manager
      .createQueryBuilder(FeedbackSuggestion, 's')
      .where('s.created_at >= :from AND s.created_at < :to', { from: period.from.toISOString(), to: period.to.toISOString() })
      .orderBy('s.id', 'ASC')
      .getMany();
  }

  private checkAnswerable(actor: Actor, suggestion: FeedbackSuggestion): void {
    if (!hasRole(actor.roles, 'engineer')) throw new ForbiddenError('feedback.error.engineerOnlyReply');
    if (suggestion.authorId === null) throw new InvalidInputError('feedback.error.anonymousNoReply', { id: formatSuggestionId(suggestion.id) });
  }

  private async load(manager: EntityManager, id: number): Promise<FeedbackSuggestion> {
    const suggestion = await manager.findOne(FeedbackSuggestion, { where: { id } });
    if (!suggestion) throw new NotFoundError('feedback.error.suggestionNotFound', { id: formatSuggestionId(id) });
    return suggestion;
  }

  /** Posts the card to the IT channel, or edits it there (keyed). */
  private async post(manager: EntityManager, suggestion: FeedbackSuggestion, now: Date): Promise<void> {
    const channel = await this.settings.itChannel();
    if (!channel) return;
    const views = await viewsOf(manager, [suggestion.authorId, suggestion.repliedBy]);
    const view = { t: translator(this.options.defaultLocale), platform: channel.platform, timeZone: this.options.timeZone };
    const message: OutgoingMessage = { target: channel, key: suggestionKey(suggestion.id), message: suggestionCard(suggestion, views, view) };
    await enqueue(manager, now, [message]);
  }
}

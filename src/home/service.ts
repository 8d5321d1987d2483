import { DateTime } from 'luxon';
import { QueryFailedError } from 'typeorm';
import { HomeQueries, type HomeOverview } from './queries.js';
import { HOME_REFRESH_GAP_MS, homeRefresher, queueRefresh } from './refresh.js';
import { homeTabSections, overviewMessage, type HomeViewContext } from './view.js';
import { observeAudit } from '../audit/observers.js';
import type { PersonView } from '../chat/format.js';
import { resolveLocale, translator, type Locale } from '../chat/i18n/catalog.js';
import type { ChatActor, ChatMessage, Platform } from '../chat/model.js';
import type { Clock } from '../clock.js';
import type { Actor } from '../people/actor.js';
import type { PeopleService } from '../people/service.js';
import { peopleViews } from '../people/views.js';
import type { OnCallService } from '../oncall/service.js';
import type { EventHooks } from '../platforms/port.js';
import { HomeView, Identity, Person, ProcessedEvent } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

/** Event ids are kept this long (Slack retries within minutes; issue 14 asks for a day). */
export const EVENT_ID_TTL_MS = 86_400_000;

export interface HomeServiceOptions {
  timeZone: string;
  defaultLocale: Locale;
  /** Minimum spacing of republications per account (default 5 s). */
  refreshGapMs?: number;
  onOutbox?: () => void;
}

/**
 * The personal overview (DESIGN "Personal overview"): builds it for a person, remembers who opened
 * the Home tab, republishes their Home when something of theirs changes, and applies each platform
 * event once.
 */
export class HomeService {
  private readonly queries: HomeQueries;
  private readonly gapMs: number;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly people: PeopleService,
    oncall: OnCallService,
    private readonly options: HomeServiceOptions,
  ) {
    this.queries = new HomeQueries(store, oncall);
    this.gapMs = options.refreshGapMs ?? HOME_REFRESH_GAP_MS;
    observeAudit(store.dataSource, homeRefresher(this.gapMs));
  }

  /** The overview of `actor` now, with the people it names. */
  async overview(actor: Actor): Promise<{ overview: HomeOverview; people: Map<number, PersonView> }> {
    const now = this.clock.now();
    const dayStart = DateTime.fromMillis(now.getTime(), { zone: this.options.timeZone }).startOf('day').toJSDate();
    const overview = await this.queries.overview(actor, now, dayStart);
    const ids = [
      ...overview.approvals.map((c) => c.requesterId),
      ...overview.oncall.levels.flatMap((l) => [l.now?.personId, l.next?.personId, ...(l.rotation?.members ?? [])]),
    ].filter((id): id is number => id !== undefined);
    const { views } = await peopleViews(this.store.manager, [...new Set(ids)]);
    return { overview, people: views };
  }

  /** `/ops me`: the overview as one private message, in the reader's locale. */
  async message(actor: Actor, locale: Locale): Promise<ChatMessage> {
    const { overview, people } = await this.overview(actor);
    return overviewMessage(overview, this.view(actor.platform, locale, people));
  }

  /**
   * The Home tab of a platform account as sections (for the platform's renderer), in the person's
   * stored locale; undefined for an account opsdesk has never seen.
   */
  async homeTab(platform: Platform, userId: string): Promise<ChatMessage[] | undefined> {
    const manager = this.store.manager;
    const identity = await manager.findOne(Identity, { where: { platform, userId } });
    if (!identity) return undefined;
    const person = await manager.findOne(Person, { where: { id: identity.personId } });
    if (!person) return undefined;
    const roles = await this.people.rolesOf(manager, person.id);
    const actor: Actor = { personId: person.id, displayName: person.displayName, roles, platform, userId };
    const { overview, people } = await this.overview(actor);
    return homeTabSections(overview, this.view(platform, resolveLocale(person.locale, this.options.defaultLocale), people));
  }

  /**
   * Someone opened the Home tab: remembered (so that later changes republish it) and published now,
   * through the outbox. Returns false for a repeated delivery of the same event, which changes nothing.
   */
  async opened(chat: ChatActor, eventId: string, hooks?: EventHooks): Promise<boolean> {
    if (!(await this.firstDelivery(chat.platform, eventId))) return false;
    const localeOf = hooks?.localeOf?.bind(hooks);
    const { actor } = await this.people.resolveWithLocale(chat, localeOf ? () => localeOf(chat.userId) : undefined);
    await this.store.transaction(async (manager) => {
      const now = this.clock.now();
      let home = await manager.findOne(HomeView, { where: { platform: chat.platform, userId: chat.userId } });
      if (!home) {
        home = await manager.save(
          HomeView,
          manager.create(HomeView, { platform: chat.platform, userId: chat.userId, personId: actor.personId, firstOpenedAt: now, lastOpenedAt: now, refreshDueAt: null }),
        );
      } else {
        await manager.update(HomeView, { id: home.id }, { lastOpenedAt: now, personId: actor.personId });
      }
      await queueRefresh(manager, now, home, this.gapMs, true);
    });
    this.options.onOutbox?.();
    return true;
  }

  /**
   * True the first time `eventId` is seen on `platform` within EVENT_ID_TTL_MS; a retried or
   * redelivered event gets false. Older ids are forgotten as new ones arrive.
   */
  async firstDelivery(platform: Platform, eventId: string): Promise<boolean> {
    const now = this.clock.now();
    const key = `${platform}:${eventId}`.slice(0, 100);
    try {
      return await this.store.transaction(async (manager) => {
        const cutoff = new Date(now.getTime() - EVENT_ID_TTL_MS).toISOString();
        await manager.createQueryBuilder().delete().from(ProcessedEvent).where('received_at < :cutoff', { cutoff }).execute();
        if (await manager.findOne(ProcessedEvent, { where: { eventId: key } })) return false;
        await manager.insert(ProcessedEvent, { eventId: key, platform, receivedAt: now });
        return true;
      });
    } catch (error) {
      // Two deliveries at the same moment: the primary key let one in; this is the other.
      if (error instanceof QueryFailedError && (await this.store.manager.findOne(ProcessedEvent, { where: { eventId: key } }))) return false;
      throw error;
    }
  }

  private view(platform: Platform, locale: Locale, people: Map<number, PersonView>): HomeViewContext {
    return { t: translator(locale), locale, platform, timeZone: this.options.timeZone, now: this.clock.now(), people };
  }
}

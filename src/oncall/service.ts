import type { EntityManager } from 'typeorm';
import { handoffMessage, type HandoffNews } from './cards.js';
import {
  MAX_MEMBERS,
  ONCALL_LEVELS,
  latestHandoff,
  onCallAt,
  shiftAt,
  timeline,
  type Handoff,
  type OnCallLevel,
  type OverrideSpan,
  type Rotation,
  type Segment,
} from './rotation.js';
import { appendAudit } from '../audit/chain.js';
import type { PersonView } from '../chat/format.js';
import type { Locale } from '../chat/i18n/catalog.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, InvalidInputError } from '../errors.js';
import { enqueue, ONCALL_NOTICE, type OutgoingMessage } from '../outbox/outbox.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import type { AccountRef, PeopleService } from '../people/service.js';
import { peopleViews } from '../people/views.js';
import { OnCallOverride, OnCallRotation, RoleGrant } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

export interface OnCallServiceOptions {
  timeZone: string;
  defaultLocale: Locale;
  onOutbox?: () => void;
}

/** Who is told at each level of the escalation chain at one moment. */
export interface EscalationChain {
  primary: number | undefined;
  secondary: number | undefined;
  /** The manager on call, or everyone holding the manager role when no manager rotation is set. */
  managers: number[];
}

export interface LevelNow {
  level: OnCallLevel;
  rotation: OnCallRotation | undefined;
  now: Segment | undefined;
  next: Segment | undefined;
  /** The same person stays on call as far as the rotation looks ahead. */
  openEnded: boolean;
}

export const SCHEDULE_DAYS = 14;
const MAX_OVERRIDE_MS = 31 * 86_400_000;

function toRotation(row: OnCallRotation): Rotation {
  return { members: row.members, weekday: row.handoffWeekday, minute: row.handoffMinute, lengthDays: row.lengthDays, anchorAt: row.anchorAt };
}

function toSpan(row: OnCallOverride): OverrideSpan {
  return { id: row.id, personId: row.personId, startsAt: row.startsAt, endsAt: row.endsAt };
}

/** On-call rotations, overrides and the escalation chain (policy 4.4); managers edit, everyone reads. */
export class OnCallService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly people: PeopleService,
    private readonly options: OnCallServiceOptions,
  ) {}

  get timeZone(): string {
    return this.options.timeZone;
  }

  /** Sets (or replaces) the rotation of one level; the first member is on call from the latest hand-off. */
  async setRotation(actor: Actor, level: OnCallLevel, members: AccountRef[], handoff: Handoff, lengthDays: number): Promise<OnCallRotation> {
    requireManager(actor);
    if (members.length === 0 || members.length > MAX_MEMBERS) throw new InvalidInputError('oncall.error.members', { max: MAX_MEMBERS });
    const rotation = await this.store.transaction(async (manager) => {
      const now = this.clock.now();
      const ids: number[] = [];
      for (const ref of members) {
        const person = await this.people.personFor(manager, ref);
        if (!ids.includes(person.id)) ids.push(person.id);
      }
      const anchorAt = latestHandoff(handoff, now, this.options.timeZone);
      const before = await manager.findOne(OnCallRotation, { where: { level } });
      const row = manager.create(OnCallRotation, {
        ...(before ? { id: before.id } : {}),
        level,
        members: ids,
        handoffWeekday: handoff.weekday,
        handoffMinute: handoff.minute,
        lengthDays,
        anchorAt,
        announcedShiftAt: anchorAt,
        updatedBy: actor.personId,
        updatedAt: now,
      });
      const saved = await manager.save(OnCallRotation, row);
      await appendAudit(manager, now, {
        actor,
        action: 'oncall.rotation',
        recordType: 'oncall',
        recordId: level,
        before: before ? { members: before.members, handoffWeekday: before.handoffWeekday, handoffMinute: before.handoffMinute, lengthDays: before.lengthDays } : null,
        after: { members: ids, handoffWeekday: handoff.weekday, handoffMinute: handoff.minute, lengthDays },
      });
      // The first member is on call from now: tell them at once, unless an override covers it.
      const overrides = await this.overridesOf(manager, level, now);
      const line = timeline(toRotation(saved), overrides, now, new Date(now.getTime() + 1), this.options.timeZone)[0];
      if (line && line.overrideId === null) {
        const shift = shiftAt(toRotation(saved), now, this.options.timeZone);
        await enqueue(manager, now, await this.handoffNews(manager, { level, personId: shift.personId, start: shift.start, end: shift.end, insteadOf: null }, saved, overrides));
      }
      return saved;
    });
    this.options.onOutbox?.();
    return rotation;
  }

  async clearRotation(actor: Actor, level: OnCallLevel): Promise<boolean> {
    requireManager(actor);
    return this.store.transaction(async (manager) => {
      const before = await manager.findOne(OnCallRotation, { where: { level } });
      if (!before) return false;
      await manager.delete(OnCallRotation, { id: before.id });
      await appendAudit(manager, this.clock.now(), {
        actor,
        action: 'oncall.rotation.clear',
        recordType: 'oncall',
        recordId: level,
        before: { members: before.members },
        after: null,
      });
      return true;
    });
  }

  /** Puts someone on call at a level from `from` until `to`, over whatever the rotation says. */
  async addOverride(actor: Actor, level: OnCallLevel, who: AccountRef, from: Date, to: Date): Promise<OnCallOverride> {
    requireManager(actor);
    const now = this.clock.now();
    if (to <= from) throw new InvalidInputError('oncall.error.endBeforeStart');
    if (to <= now) throw new InvalidInputError('oncall.error.inThePast');
    if (to.getTime() - from.getTime() > MAX_OVERRIDE_MS) throw new InvalidInputError('oncall.error.tooLong');
    const override = await this.store.transaction(async (manager) => {
      const person = await this.people.personFor(manager, who);
      const startsNow = from <= now;
      const row = await manager.save(
        OnCallOverride,
        manager.create(OnCallOverride, {
          level,
          personId: person.id,
          startsAt: from,
          endsAt: to,
          announced: startsNow ? 1 : 0,
          createdBy: actor.personId,
          createdAt: now,
        }),
      );
      await appendAudit(manager, now, {
        actor,
        action: 'oncall.override',
        recordType: 'oncall',
        recordId: level,
        before: null,
        after: { personId: person.id, startsAt: from.toISOString(), endsAt: to.toISOString() },
      });
      if (startsNow) await enqueue(manager, now, await this.overrideNews(manager, row, now));
      return row;
    });
    this.options.onOutbox?.();
    return override;
  }

  /** The people behind ids, for mentions in on-call views. */
  async views(ids: number[]): Promise<Map<number, PersonView>> {
    return (await peopleViews(this.store.manager, ids)).views;
  }

  /** Who is on call now and next at each level. */
  async overview(): Promise<LevelNow[]> {
    const now = this.clock.now();
    const manager = this.store.manager;
    const rotations = await manager.find(OnCallRotation);
    const result: LevelNow[] = [];
    for (const level of ONCALL_LEVELS) {
      const rotation = rotations.find((r) => r.level === level);
      const overrides = await this.overridesOf(manager, level, now);
      const { now: current, next, openEnded } = onCallAt(rotation ? toRotation(rotation) : undefined, overrides, now, this.options.timeZone);
      result.push({ level, rotation, now: current, next, openEnded });
    }
    return result;
  }

  /** Who is on call at each level over the coming `days`. */
  async schedule(days = SCHEDULE_DAYS): Promise<{ level: OnCallLevel; rotation: OnCallRotation | undefined; segments: Segment[] }[]> {
    const from = this.clock.now();
    const to = new Date(from.getTime() + days * 86_400_000);
    const manager = this.store.manager;
    const rotations = await manager.find(OnCallRotation);
    const result = [];
    for (const level of ONCALL_LEVELS) {
      const rotation = rotations.find((r) => r.level === level);
      const overrides = await this.overridesOf(manager, level, from);
      result.push({ level, rotation, segments: timeline(rotation ? toRotation(rotation) : undefined, overrides, from, to, this.options.timeZone) });
    }
    return result;
  }

  /**
   * The escalation chain at `at`. Without a secondary rotation the next person of the primary
   * rotation stands in; without a manager rotation, everyone holding the manager role is told.
   */
  async chainAt(manager: EntityManager, at: Date): Promise<EscalationChain> {
    const rotations = await manager.find(OnCallRotation);
    const zone = this.options.timeZone;
    const personAt = async (level: OnCallLevel): Promise<number | undefined> => {
      const rotation = rotations.find((r) => r.level === level);
      const overrides = await this.overridesOf(manager, level, at);
      return timeline(rotation ? toRotation(rotation) : undefined, overrides, at, new Date(at.getTime() + 1), zone)[0]?.personId;
    };
    const primary = await personAt('primary');
    let secondary = await personAt('secondary');
    const primaryRotation = rotations.find((r) => r.level === 'primary');
    if (secondary === undefined && primaryRotation && primaryRotation.members.length > 1) {
      const shift = shiftAt(toRotation(primaryRotation), at, zone);
      const n = primaryRotation.members.length;
      const candidate = primaryRotation.members[(((shift.index + 1) % n) + n) % n];
      secondary = candidate === primary ? primaryRotation.members[(((shift.index + 2) % n) + n) % n] : candidate;
    }
    const managerOnCall = await personAt('manager');
    const managers =
      managerOnCall !== undefined ? [managerOnCall] : (await manager.find(RoleGrant, { where: { role: 'manager' }, order: { personId: 'ASC' } })).map((g) => g.personId);
    return { primary, secondary, managers };
  }

  /** The hand-off job: tells each incoming engineer once, also after downtime and with several processes. */
  async announceHandoffs(): Promise<number> {
    const now = this.clock.now();
    let told = 0;
    const rotations = await this.store.manager.find(OnCallRotation);
    for (const rotation of rotations) {
      const shift = shiftAt(toRotation(rotation), now, this.options.timeZone);
      if (rotation.announcedShiftAt && rotation.announcedShiftAt >= shift.start) continue;
      const sent = await this.store.transaction(async (manager) => {
        const claimed = await manager
          .createQueryBuilder()
          .update(OnCallRotation)
          .set({ announcedShiftAt: shift.start })
          .where('id = :id', { id: rotation.id })
          .andWhere('(announced_shift_at IS NULL OR announced_shift_at < :start)', { start: shift.start.toISOString() })
          .execute();
        if (claimed.affected !== 1) return false;
        const overrides = await this.overridesOf(manager, rotation.level, now);
        const covered = timeline(toRotation(rotation), overrides, now, new Date(now.getTime() + 1), this.options.timeZone)[0];
        if (!covered || covered.overrideId !== null) return false; // an override's person is told by its own notice
        const level = levelOf(rotation.level);
        await enqueue(manager, now, await this.handoffNews(manager, { level, personId: shift.personId, start: shift.start, end: shift.end, insteadOf: null }, rotation, overrides));
        return true;
      });
      if (sent) told++;
    }
    const starting = await this.store.manager
      .createQueryBuilder(OnCallOverride, 'o')
      .where('o.announced = 0 AND o.starts_at <= :now', { now: now.toISOString() })
      .getMany();
    for (const override of starting) {
      const sent = await this.store.transaction(async (manager) => {
        const claimed = await manager.update(OnCallOverride, { id: override.id, announced: 0 }, { announced: 1 });
        if (claimed.affected !== 1 || override.endsAt <= now) return false;
        await enqueue(manager, now, await this.overrideNews(manager, override, now));
        return true;
      });
      if (sent) told++;
    }
    if (told > 0) this.options.onOutbox?.();
    return told;
  }

  private async overridesOf(manager: EntityManager, level: string, from: Date): Promise<OverrideSpan[]> {
    const rows = await manager
      .createQueryBuilder(OnCallOverride, 'o')
      .where('o.level = :level AND o.ends_at > :from', { level, from: from.toISOString() })
      .orderBy('o.id', 'ASC')
      .getMany();
    return rows.map(toSpan);
  }

  private async overrideNews(manager: EntityManager, override: OnCallOverride, now: Date): Promise<OutgoingMessage[]> {
    const rotation = await manager.findOne(OnCallRotation, { where: { level: override.level } });
    const insteadOf = rotation && rotation.members.length > 0 ? shiftAt(toRotation(rotation), now, this.options.timeZone).personId : null;
    const level = levelOf(override.level);
    const news: HandoffNews = { level, personId: override.personId, start: override.startsAt, end: override.endsAt, insteadOf: insteadOf === override.personId ? null : insteadOf };
    return this.handoffNews(manager, news, rotation ?? undefined, await this.overridesOf(manager, level, now));
  }

  private async handoffNews(manager: EntityManager, news: HandoffNews, rotation: OnCallRotation | undefined, overrides: OverrideSpan[]): Promise<OutgoingMessage[]> {
    const after = timeline(rotation ? toRotation(rotation) : undefined, overrides, news.end, new Date(news.end.getTime() + 1), this.options.timeZone)[0];
    const target = await this.people.dmTarget(manager, news.personId);
    if (!target) return [];
    const message = await handoffMessage(manager, { ...news, nextPersonId: after?.personId ?? null }, target.platform, this.options);
    return [{ target, message, record: { kind: ONCALL_NOTICE, id: news.personId } }];
  }
}

function requireManager(actor: Actor): void {
  if (!hasRole(actor.roles, 'manager')) throw new ForbiddenError('oncall.error.managerOnly');
}

function levelOf(value: string): OnCallLevel {
  return ONCALL_LEVELS.find((l) => l === value) ?? 'primary';
}

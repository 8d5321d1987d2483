// Whether a waiting change can still be approved by the approvers the bot can reach: when DMs to some
// of them fail for good, the requester and the change channel are told (issue #9), once per change.
import type { EntityManager } from 'typeorm';
import { MANAGER_ROLES } from './records.js';
import { approvalStatus, formatChangeId } from './rules.js';
import { mention } from '../chat/format.js';
import { countKey, translator, type Locale } from '../chat/i18n/catalog.js';
import { UNREACHABLE_ERROR_PREFIX, enqueue, type RecordRef } from '../outbox/outbox.js';
import { hasTimelineNote, noteOnTimeline } from '../outbox/undeliverable-note.js';
import type { PeopleService } from '../people/service.js';
import { peopleViews } from '../people/views.js';
import type { SettingsService } from '../settings/service.js';
import { Change, ChangeApproval, ChangeNotice, Identity, OutboxMessage, RoleGrant } from '../store/entities/index.js';

/**
 * Pure rule: can `needed` approvals (with a manager when `managerMissing`) still come from the
 * approvals already given plus the asked approvers who have not decided and can be reached?
 */
export function approvalStillPossible(input: { approvals: number; needed: number; managerMissing: boolean; reachable: readonly { isManager: boolean }[] }): boolean {
  if (input.approvals + input.reachable.length < input.needed) return false;
  return !input.managerMissing || input.reachable.some((p) => p.isManager);
}

/** People whose DMs about this record were marked dead as unreachable (outbox rows of the record). */
async function unreachablePeople(manager: EntityManager, record: RecordRef): Promise<Set<number>> {
  const rows = await manager
    .createQueryBuilder(OutboxMessage, 'o')
    .where('o.record_kind = :kind AND o.record_id = :id AND o.target_kind = :dm AND o.status = :dead AND o.last_error LIKE :prefix', {
      kind: record.kind,
      id: record.id,
      dm: 'dm',
      dead: 'dead',
      prefix: `${UNREACHABLE_ERROR_PREFIX}%`,
    })
    // In the order their DMs were queued: the warning names people in a stable order (PostgreSQL
    // returns unordered rows in whatever order its pages hold them, which updates change).
    .orderBy('o.id', 'ASC')
    .getMany();
  const people = new Set<number>();
  for (const row of rows) {
    const identity = await manager.findOneBy(Identity, { platform: row.platform, userId: row.targetId });
    if (identity) people.add(identity.personId);
  }
  return people;
}

/**
 * Called in the outbox's transaction after a DM about change `changeId` was found undeliverable. If the
 * change still waits for approvals and the reachable approvers can no longer satisfy its approval
 * rule, tells the change channel and the requester (by DM) and notes it on the timeline; only once.
 */
export async function checkApproversReach(
  manager: EntityManager,
  changeId: number,
  now: Date,
  deps: { settings: SettingsService; people: PeopleService; timeZone: string; defaultLocale: Locale },
): Promise<void> {
  const record: RecordRef = { kind: 'change', id: changeId };
  const change = await manager.findOneBy(Change, { id: changeId });
  if (!change || change.state !== 'submitted') return;
  if (await hasTimelineNote(manager, record, 'approvers_unreachable')) return;
  const decisions = await manager.findBy(ChangeApproval, { changeId });
  const status = approvalStatus(
    { approvals: change.approvalsRequired, managerRequired: change.managerRequired === 1 },
    decisions.map((d) => ({ approverId: d.approverId, decision: d.decision, asManager: d.asManager === 1 })),
  );
  if (status.outcome !== 'pending') return;
  const unreachable = await unreachablePeople(manager, record);
  const decided = new Set(decisions.map((d) => d.approverId));
  const asked = (await manager.findBy(ChangeNotice, { changeId, kind: 'approval' })).map((n) => n.personId);
  const waiting = asked.filter((id) => !decided.has(id) && !unreachable.has(id));
  const managers = new Set(
    waiting.length === 0
      ? []
      : (await manager.createQueryBuilder(RoleGrant, 'g').where('g.person_id IN (:...ids) AND g.role IN (:...roles)', { ids: waiting, roles: MANAGER_ROLES }).getMany()).map((g) => g.personId),
  );
  const reachable = waiting.map((id) => ({ isManager: managers.has(id) }));
  if (approvalStillPossible({ approvals: status.approvals, needed: status.needed, managerMissing: status.managerMissing, reachable })) return;

  const { views } = await peopleViews(manager, [...unreachable]);
  await noteOnTimeline(manager, record, 'approvers_unreachable', [...unreachable].map((id) => views.get(id)?.displayName ?? String(id)).join(', '), now);
  const t = translator(deps.defaultLocale);
  const text = (platform: Parameters<typeof mention>[1]) =>
    t(countKey('outbox.approvers.unreachable', status.needed), {
      id: formatChangeId(change.id),
      people: [...unreachable].map((id) => mention(views.get(id), platform)).join(', '),
      needed: status.needed,
      manager: status.managerMissing ? t('outbox.approvers.managerNeeded') : '',
    });
  const targets = [await deps.settings.channel('change_channel'), await deps.people.dmTarget(manager, change.requesterId)];
  const messages = targets.filter((target) => target !== undefined).map((target) => ({ target, message: { fallback: text(target.platform), body: text(target.platform) } }));
  await enqueue(manager, now, messages, record);
}

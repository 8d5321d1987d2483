// Who may take a step on a change, and the errors that say why a step is refused (who did it
// first, and when). Thrown by the use cases; the chat runtime renders them privately.
import type { EntityManager } from 'typeorm';
import { CHANGE_RECORD } from './record.js';
import { formatChangeId, type ChangeMove, type DecisionRefusal } from './rules.js';
import { formatTime } from '../chat/format.js';
import type { MessageKey } from '../chat/i18n/catalog.js';
import { ConflictError, ForbiddenError, type UserError } from '../errors.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import { lastStep } from '../records/timeline.js';
import { Person, type Change, type ChangeApproval } from '../store/entities/index.js';

/** The implementer, or a manager. */
export function requireImplementer(actor: Actor, change: Change): void {
  if (change.implementerId !== actor.personId && !hasRole(actor.roles, 'manager')) {
    throw new ForbiddenError('changes.error.implementerOnly', { id: formatChangeId(change.id) });
  }
}

/** The implementer, the requester, or a manager. */
export function requireParticipant(actor: Actor, change: Change, key: MessageKey): void {
  if (change.implementerId !== actor.personId && change.requesterId !== actor.personId && !hasRole(actor.roles, 'manager')) {
    throw new ForbiddenError(key, { id: formatChangeId(change.id) });
  }
}

export function cannotMove(change: Change, move: ChangeMove): ConflictError {
  return new ConflictError('changes.error.cannotMove', { id: formatChangeId(change.id), state: { key: `changes.state.${change.state}` }, move: { key: `changes.move.${move}` } });
}

function timeOrDash(date: Date | null, timeZone: string): string {
  return date ? formatTime(date, timeZone) : '—';
}

async function displayName(manager: EntityManager, personId: number | null): Promise<string> {
  const person = personId === null ? null : await manager.findOne(Person, { where: { id: personId } });
  return person?.displayName ?? '—';
}

async function names(manager: EntityManager, decisions: ChangeApproval[]): Promise<string> {
  if (decisions.length === 0) return '—';
  const people = await manager.createQueryBuilder(Person, 'p').where('p.id IN (:...ids)', { ids: decisions.map((d) => d.approverId) }).getMany();
  return decisions.map((d) => people.find((p) => p.id === d.approverId)?.displayName ?? '—').join(', ');
}

/** Why the actor cannot decide: not an approver, their own change, or who decided already and when. */
export async function decisionError(
  manager: EntityManager,
  refusal: DecisionRefusal,
  change: Change,
  decisions: ChangeApproval[],
  actor: Actor,
  timeZone: string,
): Promise<UserError> {
  const id = formatChangeId(change.id);
  switch (refusal) {
    case 'not_approver':
      return new ForbiddenError('changes.error.approverOnly', { id });
    case 'own_change':
      return new ForbiddenError('changes.error.ownChange', { id });
    case 'manager_only':
      return new ForbiddenError('changes.error.emergencyManagerOnly', { id });
    case 'already_decided': {
      const own = decisions.find((d) => d.approverId === actor.personId);
      return new ConflictError(own?.decision === 'rejected' ? 'changes.error.youRejected' : 'changes.error.youApproved', { id, time: timeOrDash(own?.createdAt ?? null, timeZone) });
    }
    case 'decided': {
      if (change.state === 'submitted' || change.state === 'draft') return cannotMove(change, 'approve');
      const rejected = decisions.filter((d) => d.decision === 'rejected');
      if (rejected.length > 0) return new ConflictError('changes.error.alreadyRejected', { id, person: await names(manager, rejected), time: timeOrDash(change.decidedAt, timeZone) });
      if (change.type === 'standard') return new ConflictError('changes.error.preApproved', { id });
      if (change.state === 'rejected') return cannotMove(change, 'approve');
      const approved = decisions.filter((d) => d.decision === 'approved');
      return new ConflictError('changes.error.alreadyApproved', { id, person: await names(manager, approved), time: timeOrDash(change.decidedAt, timeZone) });
    }
  }
}

/** A repeated Start: who started it and when. */
export async function alreadyStarted(manager: EntityManager, change: Change, timeZone: string): Promise<ConflictError> {
  const started = await lastStep(manager, CHANGE_RECORD.kind, change.id, 'start');
  return new ConflictError('changes.error.alreadyStarted', {
    id: formatChangeId(change.id),
    person: started?.person ?? '—',
    time: timeOrDash(change.startedAt, timeZone),
    state: { key: `changes.state.${change.state}` },
  });
}

/** A finish that cannot happen: already ended (and when), or not started. */
export function finishRefusal(change: Change, move: ChangeMove, timeZone: string): ConflictError {
  if (change.endedAt) {
    return new ConflictError('changes.error.alreadyEnded', {
      id: formatChangeId(change.id),
      state: { key: `changes.state.${change.state}` },
      time: formatTime(change.endedAt, timeZone),
    });
  }
  return cannotMove(change, move);
}

/** A repeated review: who reviewed it and when. */
export async function alreadyReviewed(manager: EntityManager, change: Change, timeZone: string): Promise<ConflictError> {
  return new ConflictError('changes.error.alreadyReviewed', {
    id: formatChangeId(change.id),
    person: await displayName(manager, change.reviewedBy),
    time: timeOrDash(change.reviewedAt, timeZone),
  });
}

// Keeps Home views fresh (issue 14 item 2): when a record, an approval or an on-call turn changes,
// the Home view of every person it concerns is republished, but only for accounts that opened Home
// before. The republication is an outbox row written in the same transaction as the change, so a
// Slack outage delays it and loses nothing; the view itself is built when the row is delivered, so
// it always shows the latest state, and one row stands for any number of changes before it goes.
import { In, type EntityManager } from 'typeorm';
import type { AuditInput } from '../audit/chain.js';
import { parseChangeId } from '../changes/rules.js';
import type { ChatMessage } from '../chat/model.js';
import { parseFaultId } from '../faults/rules.js';
import { enqueue } from '../outbox/outbox.js';
import { parseRequestId } from '../requests/rules.js';
import { Change, ChangeApproval, ChangeNotice, Fault, HomeView, RoleGrant, ServiceRequest } from '../store/entities/index.js';
import { PlainSql } from '../store/plain-sql.js';

/** At most one republication per account in this many ms ("coalesced", issue 14). */
export const HOME_REFRESH_GAP_MS = 5_000;

/** The outbox payload of a republication; the deliverer builds the real view when it goes out. */
export const HOME_REFRESH_MESSAGE: ChatMessage = { fallback: 'home' };

type Concerned = number[] | 'everyone';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A person id a before/after snapshot names under `key` (the previous assignee, say). */
function idIn(snapshot: unknown, key: string): number[] {
  const value = isRecord(snapshot) ? snapshot[key] : undefined;
  return typeof value === 'number' ? [value] : [];
}

/** Roles that may decide on changes (README "Change management": managers and admins count). */
const DECIDING_ROLES = ['approver', 'manager', 'admin'];

function stateIn(snapshot: unknown): unknown {
  return isRecord(snapshot) ? snapshot.state : undefined;
}

/** The people an audited change concerns, read in the transaction that made it. */
export async function concernedPeople(manager: EntityManager, input: AuditInput): Promise<Concerned> {
  const previous = [...idIn(input.before, 'assigneeId'), ...idIn(input.before, 'implementerId')];
  switch (input.recordType) {
    case 'fault': {
      const id = parseFaultId(input.recordId);
      const fault = id === undefined ? null : await PlainSql.of(manager).findPartById(manager, Fault, id, ['reporterId', 'assigneeId']);
      return fault ? [fault.reporterId, ...(fault.assigneeId === null ? [] : [fault.assigneeId]), ...previous] : previous;
    }
    case 'request': {
      const id = parseRequestId(input.recordId);
      const request = id === undefined ? null : await PlainSql.of(manager).findById(manager, ServiceRequest, id);
      if (!request) return previous;
      return [request.requesterId, request.beneficiaryId, request.assigneeId, ...previous].filter((p): p is number => p !== null);
    }
    case 'change': {
      const id = parseChangeId(input.recordId);
      const change = id === undefined ? null : await manager.findOne(Change, { where: { id } });
      if (!change) return previous;
      // Everyone the change is put to: a decision by one takes it off the others' lists too. The
      // audit entry of a new request comes before its approval notices, so while a change waits
      // (or has just been decided) everyone who may decide is concerned.
      const notices = await manager.find(ChangeNotice, { where: { changeId: change.id } });
      const decided = await manager.find(ChangeApproval, { where: { changeId: change.id } });
      const deciding = change.state === 'submitted' || stateIn(input.before) === 'submitted';
      const approvers = deciding ? await manager.find(RoleGrant, { where: { role: In(DECIDING_ROLES) } }) : [];
      return [
        change.requesterId,
        change.implementerId,
        ...notices.map((n) => n.personId),
        ...decided.map((d) => d.approverId),
        ...approvers.map((g) => g.personId),
        ...previous,
      ];
    }
    case 'oncall':
      // Who is on call now is on everyone's Home.
      return 'everyone';
    case 'person': {
      // Roles decide what a Home shows (approvals, the managers' part).
      const id = Number.parseInt(input.recordId, 10);
      return Number.isSafeInteger(id) ? [id] : [];
    }
    default:
      return [];
  }
}

/**
 * Queues one republication of `home`, due `gapMs` after the one queued before it, unless one is
 * still waiting (it will show this change too). `immediate` (the person just opened Home) skips the gap.
 * The conditional update keeps two transactions from both queueing one.
 */
export async function queueRefresh(manager: EntityManager, now: Date, home: HomeView, gapMs: number, immediate = false): Promise<boolean> {
  const last = home.refreshDueAt;
  if (!immediate && last && last.getTime() > now.getTime()) return false;
  const due = immediate || !last ? now : new Date(Math.max(now.getTime(), last.getTime() + gapMs));
  const claim = manager.createQueryBuilder().update(HomeView).set({ refreshDueAt: due }).where('id = :id', { id: home.id });
  if (last) claim.andWhere('refresh_due_at = :last', { last: last.toISOString() });
  else claim.andWhere('refresh_due_at IS NULL');
  const claimed = await claim.execute();
  if ((claimed.affected ?? 0) !== 1) return false;
  home.refreshDueAt = due;
  await enqueue(manager, now, [{ target: { platform: 'slack', kind: 'home', id: home.userId }, message: HOME_REFRESH_MESSAGE, notBefore: due }]);
  return true;
}

/** The audit observer: queues republications for the opened Homes an audited change concerns. */
export function homeRefresher(gapMs: number = HOME_REFRESH_GAP_MS): (manager: EntityManager, now: Date, input: AuditInput) => Promise<void> {
  return async (manager, now, input) => {
    const concerned = await concernedPeople(manager, input);
    if (concerned !== 'everyone' && concerned.length === 0) return;
    // Fixed statements (src/store/plain-sql.ts): every change of every record asks.
    const sql = PlainSql.of(manager);
    const homes = await sql.find(manager, HomeView, concerned === 'everyone' ? {} : { personId: [...new Set(concerned)] });
    for (const home of homes) await queueRefresh(manager, now, home, gapMs);
  };
}

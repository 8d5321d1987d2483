import { describe, expect, it } from 'vitest';
import {
  CHANGE_MOVES,
  CHANGE_STATES,
  DEFAULT_APPROVAL_COUNTS,
  approvalRequirement,
  approvalStatus,
  conflicts,
  decisionRefusal,
  formatChangeId,
  freezesHit,
  mayBeScheduled,
  nextState,
  parseChangeId,
  parseConfigItems,
  parseFreezeList,
  startRefusal,
  type ChangeMove,
  type ChangeState,
  type Decision,
} from '../../src/changes/rules.js';
import { CHANGE_SETTINGS, loadChangePolicy } from '../../src/changes/settings.js';
import type { Role } from '../../src/people/roles.js';

const ALLOWED: Record<ChangeMove, Partial<Record<ChangeState, ChangeState>>> = {
  submit: { draft: 'submitted' },
  approve: { submitted: 'approved' },
  reject: { submitted: 'rejected' },
  schedule: { approved: 'scheduled' },
  start: { scheduled: 'in_progress' },
  complete: { in_progress: 'completed' },
  roll_back: { in_progress: 'rolled_back' },
  fail: { in_progress: 'failed' },
  review: { completed: 'reviewed', rolled_back: 'reviewed', failed: 'reviewed' },
};

describe('change state machine', () => {
  it('allows exactly the transitions of DESIGN.md and refuses every other (state, move) pair', () => {
    let allowed = 0;
    for (const state of CHANGE_STATES) {
      for (const move of CHANGE_MOVES) {
        const expected = ALLOWED[move][state];
        expect([state, move, nextState(state, move)]).toEqual([state, move, expected]);
        if (expected) allowed++;
      }
    }
    expect(allowed).toBe(11);
  });

  it('has no way out of rejected and reviewed', () => {
    for (const state of ['rejected', 'reviewed'] as const) {
      expect(CHANGE_MOVES.map((m) => nextState(state, m)).filter(Boolean)).toEqual([]);
    }
  });
});

describe('approval policy', () => {
  const approve = (approverId: number, asManager = false): Decision => ({ approverId, decision: 'approved', asManager });

  it('asks by risk for normal changes (defaults low 1, medium 2, high 2 with a manager), none for standard, one manager for emergencies', () => {
    const counts = DEFAULT_APPROVAL_COUNTS;
    expect(approvalRequirement('normal', 'low', counts)).toEqual({ approvals: 1, managerRequired: false });
    expect(approvalRequirement('normal', 'medium', counts)).toEqual({ approvals: 2, managerRequired: false });
    expect(approvalRequirement('normal', 'high', counts)).toEqual({ approvals: 2, managerRequired: true });
    for (const risk of ['low', 'medium', 'high'] as const) {
      expect(approvalRequirement('standard', risk, counts)).toEqual({ approvals: 0, managerRequired: false });
      expect(approvalRequirement('emergency', risk, counts)).toEqual({ approvals: 1, managerRequired: true });
    }
    expect(approvalRequirement('normal', 'low', { low: 3, medium: 4, high: 5 })).toEqual({ approvals: 3, managerRequired: false });
    expect(approvalRequirement('normal', 'high', { low: 3, medium: 4, high: 5 })).toEqual({ approvals: 5, managerRequired: true });
  });

  it('counts distinct approvers, so a repeated approval never completes a change', () => {
    const medium = { approvals: 2, managerRequired: false };
    expect(approvalStatus(medium, [])).toEqual({ outcome: 'pending', approvals: 0, needed: 2, managerMissing: false });
    expect(approvalStatus(medium, [approve(7), approve(7), approve(7)])).toEqual({ outcome: 'pending', approvals: 1, needed: 2, managerMissing: false });
    expect(approvalStatus(medium, [approve(7), approve(8)])).toEqual({ outcome: 'approved', approvals: 2 });
    expect(approvalStatus({ approvals: 1, managerRequired: false }, [approve(7)])).toEqual({ outcome: 'approved', approvals: 1 });
  });

  it('needs a manager among the approvers of a high-risk or emergency change', () => {
    const high = { approvals: 2, managerRequired: true };
    expect(approvalStatus(high, [approve(1), approve(2), approve(3)])).toEqual({ outcome: 'pending', approvals: 3, needed: 2, managerMissing: true });
    expect(approvalStatus(high, [approve(1), approve(2, true)])).toEqual({ outcome: 'approved', approvals: 2 });
    expect(approvalStatus(high, [approve(2, true)])).toEqual({ outcome: 'pending', approvals: 1, needed: 2, managerMissing: false });
    const emergency = { approvals: 1, managerRequired: true };
    expect(approvalStatus(emergency, [approve(4)]).outcome).toBe('pending');
    expect(approvalStatus(emergency, [approve(4, true)]).outcome).toBe('approved');
  });

  it('rejects on any rejection, whatever approvals came before', () => {
    const decisions: Decision[] = [approve(1, true), approve(2), { approverId: 3, decision: 'rejected', asManager: false }];
    expect(approvalStatus({ approvals: 2, managerRequired: true }, decisions)).toEqual({ outcome: 'rejected' });
  });
});

describe('the decision guard', () => {
  const change = { requesterId: 1, type: 'normal' as const, state: 'submitted' as const };
  const actor = (personId: number, ...roles: Role[]) => ({ personId, roles });

  it('lets approvers, managers and admins decide once on someone else\'s waiting change', () => {
    expect(decisionRefusal(actor(2, 'approver'), change, [])).toBeUndefined();
    expect(decisionRefusal(actor(3, 'manager'), change, [])).toBeUndefined();
    expect(decisionRefusal(actor(4, 'admin'), change, [])).toBeUndefined();
  });

  it('never lets the requester approve their own change, even as manager or admin', () => {
    expect(decisionRefusal(actor(1, 'approver'), change, [])).toBe('own_change');
    expect(decisionRefusal(actor(1, 'admin'), change, [])).toBe('own_change');
  });

  it('refuses a second decision by the same approver', () => {
    expect(decisionRefusal(actor(2, 'approver'), change, [{ approverId: 2 }])).toBe('already_decided');
    expect(decisionRefusal(actor(3, 'approver'), change, [{ approverId: 2 }])).toBeUndefined();
  });

  it('refuses people without the approver role, and non-managers on emergencies', () => {
    expect(decisionRefusal(actor(2), change, [])).toBe('not_approver');
    expect(decisionRefusal(actor(2, 'engineer'), change, [])).toBe('not_approver');
    const emergency = { ...change, type: 'emergency' as const };
    expect(decisionRefusal(actor(2, 'approver'), emergency, [])).toBe('manager_only');
    expect(decisionRefusal(actor(3, 'manager'), emergency, [])).toBeUndefined();
  });

  it('refuses any decision once the change is decided', () => {
    for (const state of CHANGE_STATES.filter((s) => s !== 'submitted')) {
      expect([state, decisionRefusal(actor(2, 'approver'), { ...change, state }, [])]).toEqual([state, 'decided']);
    }
  });
});

describe('windows, conflicts and freezes', () => {
  const at = (iso: string) => new Date(iso);
  const change = (id: number, start: string, end: string, items: string[]) => ({ id, window: { start: at(start), end: at(end) }, configItems: items });

  it('splits configuration items on commas, trims them and drops repeats', () => {
    expect(parseConfigItems(' db-01, billing-api ,DB-01,, mail ')).toEqual(['db-01', 'billing-api', 'mail']);
    expect(parseConfigItems(' , ')).toEqual([]);
  });

  it('finds overlapping windows on a shared configuration item only', () => {
    const mine = change(1, '2026-11-25T21:00:00Z', '2026-11-25T23:00:00Z', ['db-01', 'mail']);
    const others = [
      change(2, '2026-11-25T22:00:00Z', '2026-11-26T01:00:00Z', ['DB-01']),
      change(3, '2026-11-25T22:00:00Z', '2026-11-25T22:30:00Z', ['web']),
      change(4, '2026-11-25T23:00:00Z', '2026-11-26T00:00:00Z', ['db-01']),
      change(5, '2026-11-25T19:00:00Z', '2026-11-25T21:00:00Z', ['mail']),
      change(1, '2026-11-25T21:00:00Z', '2026-11-25T23:00:00Z', ['db-01']),
      change(6, '2026-11-25T20:00:00Z', '2026-11-26T02:00:00Z', ['mail', 'db-01', 'x']),
    ];
    expect(conflicts(mine, others).map((c) => [c.other.id, c.items])).toEqual([
      [2, ['DB-01']],
      [6, ['mail', 'db-01']],
    ]);
  });

  it('reads freeze lists and refuses malformed ones', () => {
    expect(parseFreezeList('2026-12-20..2027-01-03, 2027-04-01..2027-04-01')).toEqual([
      { from: '2026-12-20', to: '2027-01-03' },
      { from: '2027-04-01', to: '2027-04-01' },
    ]);
    expect(parseFreezeList('none')).toEqual([]);
    for (const bad of ['2027-01-03..2026-12-20', '2026-02-30..2026-03-01', '2026-12-20', 'christmas', '2026-12-20..2027-01-03 junk']) {
      expect([bad, parseFreezeList(bad)]).toEqual([bad, undefined]);
    }
  });

  it('covers whole days of a freeze in the configured zone, both ends included', () => {
    const freeze = [{ from: '2026-12-20', to: '2026-12-24' }];
    const hit = (start: string, end: string) => freezesHit({ start: at(start), end: at(end) }, freeze, 'Europe/Berlin').length > 0;
    // Berlin is UTC+1 in December: the freeze runs 2026-12-19T23:00Z .. 2026-12-24T23:00Z.
    expect(hit('2026-12-19T21:00:00Z', '2026-12-19T23:00:00Z')).toBe(false);
    expect(hit('2026-12-19T22:00:00Z', '2026-12-19T23:30:00Z')).toBe(true);
    expect(hit('2026-12-24T21:30:00Z', '2026-12-24T22:30:00Z')).toBe(true);
    expect(hit('2026-12-24T23:00:00Z', '2026-12-25T01:00:00Z')).toBe(false);
    expect(mayBeScheduled('normal', { start: at('2026-12-22T20:00:00Z'), end: at('2026-12-22T21:00:00Z') }, freeze, 'Europe/Berlin')).toBe(false);
    expect(mayBeScheduled('standard', { start: at('2026-12-22T20:00:00Z'), end: at('2026-12-22T21:00:00Z') }, freeze, 'Europe/Berlin')).toBe(false);
    expect(mayBeScheduled('emergency', { start: at('2026-12-22T20:00:00Z'), end: at('2026-12-22T21:00:00Z') }, freeze, 'Europe/Berlin')).toBe(true);
    expect(mayBeScheduled('normal', { start: at('2026-12-26T20:00:00Z'), end: at('2026-12-26T21:00:00Z') }, freeze, 'Europe/Berlin')).toBe(true);
  });

  it('lets a change start only when scheduled and inside its window, an emergency at any time once scheduled', () => {
    const window = { start: at('2026-11-25T21:00:00Z'), end: at('2026-11-25T23:00:00Z') };
    const check = (state: ChangeState, now: string, type: 'normal' | 'emergency' = 'normal') => startRefusal({ state, type, window }, at(now));
    expect(check('scheduled', '2026-11-25T20:59:00Z')).toBe('before_window');
    expect(check('scheduled', '2026-11-25T21:00:00Z')).toBeUndefined();
    expect(check('scheduled', '2026-11-25T22:59:00Z')).toBeUndefined();
    expect(check('scheduled', '2026-11-25T23:00:00Z')).toBe('after_window');
    expect(check('scheduled', '2026-11-25T10:00:00Z', 'emergency')).toBeUndefined();
    for (const state of ['draft', 'submitted', 'rejected'] as const) {
      expect(check(state, '2026-11-25T22:00:00Z')).toBe('not_approved');
      expect(check(state, '2026-11-25T22:00:00Z', 'emergency')).toBe('not_approved');
    }
    expect(check('approved', '2026-11-25T22:00:00Z')).toBe('not_scheduled');
    for (const state of ['in_progress', 'completed', 'rolled_back', 'failed', 'reviewed'] as const) expect(check(state, '2026-11-25T22:00:00Z')).toBe('already_started');
  });
});

describe('change ids and settings', () => {
  it('formats and parses CHG-n', () => {
    expect(formatChangeId(13)).toBe('CHG-13');
    expect(parseChangeId(' chg-13 ')).toBe(13);
    expect(parseChangeId('INC-13')).toBeUndefined();
    expect(parseChangeId('CHG-')).toBeUndefined();
  });

  it('declares the policy as settings that validate their values', () => {
    const spec = (key: string) => {
      const found = CHANGE_SETTINGS.find((s) => s.key === key);
      if (!found) throw new Error(`no setting ${key}`);
      return found;
    };
    expect(spec('approvals_medium').parse(' 3 ', 'slack')).toBe('3');
    expect(spec('approvals_medium').parse('0', 'slack')).toBeUndefined();
    expect(spec('approvals_high').parse('11', 'slack')).toBeUndefined();
    expect(spec('approvals_low').parse('two', 'slack')).toBeUndefined();
    expect(spec('approval_reminder_hours').parse('8', 'slack')).toBe('8');
    expect(spec('approval_reminder_hours').parse('1.5', 'slack')).toBeUndefined();
    expect(spec('change_freeze').parse('2026-12-20..2027-01-03 2027-04-01..2027-04-02', 'slack')).toBe('2026-12-20..2027-01-03, 2027-04-01..2027-04-02');
    expect(spec('change_freeze').parse('soon', 'slack')).toBeUndefined();
  });

  it('reads the policy from settings, with the DESIGN.md defaults for anything unset or unreadable', async () => {
    const values: Record<string, string> = { approvals_medium: '3', approval_reminder_hours: 'garbage', change_freeze: '2026-12-20..2027-01-03' };
    const policy = await loadChangePolicy(async (key) => values[key]);
    expect(policy).toEqual({ counts: { low: 1, medium: 3, high: 2 }, reminderHours: 4, freezes: [{ from: '2026-12-20', to: '2027-01-03' }] });
  });
});

import { describe, expect, it } from 'vitest';
import { FAULT_MOVES, FAULT_STATES, nextState, parseFaultId, priorityOf, type FaultMove, type FaultState } from '../../src/faults/rules.js';

describe('priority matrix (impact x urgency)', () => {
  it.each([
    [1, 1, 'P1'],
    [1, 2, 'P2'],
    [1, 3, 'P3'],
    [2, 1, 'P2'],
    [2, 2, 'P3'],
    [2, 3, 'P4'],
    [3, 1, 'P3'],
    [3, 2, 'P4'],
    [3, 3, 'P4'],
  ] as const)('impact %i, urgency %i -> %s', (impact, urgency, expected) => {
    expect(priorityOf(impact, urgency)).toBe(expected);
  });
});

describe('fault state machine', () => {
  const allowed: Record<FaultState, Partial<Record<FaultMove, FaultState>>> = {
    reported: { acknowledge: 'acknowledged', resolve: 'resolved' },
    acknowledged: { start: 'in_progress', wait: 'waiting_on_user', resolve: 'resolved' },
    in_progress: { wait: 'waiting_on_user', resolve: 'resolved' },
    waiting_on_user: { resume: 'in_progress', resolve: 'resolved' },
    resolved: { reopen: 'in_progress', close: 'closed' },
    closed: {},
  };
  const cases = FAULT_STATES.flatMap((from) => FAULT_MOVES.map((move) => [from, move, allowed[from][move]] as const));

  it.each(cases)('from %s, %s -> %s', (from, move, expected) => {
    expect(nextState(from, move)).toBe(expected);
  });

  it('covers every state and move (%i cases)', () => {
    expect(cases).toHaveLength(FAULT_STATES.length * FAULT_MOVES.length);
  });
});

describe('fault ids', () => {
  it('parses INC-n in any case and refuses anything else', () => {
    expect(parseFaultId('INC-42')).toBe(42);
    expect(parseFaultId(' inc-7 ')).toBe(7);
    expect(parseFaultId('REQ-7')).toBeUndefined();
    expect(parseFaultId('INC-')).toBeUndefined();
    expect(parseFaultId('INC-1; DROP TABLE')).toBeUndefined();
  });
});

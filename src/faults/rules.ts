// Fault rules (policy 4.1): classification, the priority matrix and the state machine. Pure, no I/O.

export const FAULT_CATEGORIES = ['hardware', 'software', 'network', 'other'] as const;
export type FaultCategory = (typeof FAULT_CATEGORIES)[number];

/** 1 high (many users or a critical system), 2 medium (a department), 3 low (one person). */
export const LEVELS = [1, 2, 3] as const;
export type Level = (typeof LEVELS)[number];

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

const PRIORITY_MATRIX: Record<Level, Record<Level, Priority>> = {
  1: { 1: 'P1', 2: 'P2', 3: 'P3' },
  2: { 1: 'P2', 2: 'P3', 3: 'P4' },
  3: { 1: 'P3', 2: 'P4', 3: 'P4' },
};

export function priorityOf(impact: Level, urgency: Level): Priority {
  return PRIORITY_MATRIX[impact][urgency];
}

export const FAULT_STATES = [
  'reported',
  'acknowledged',
  'in_progress',
  'waiting_on_user',
  'resolved',
  'closed',
] as const;
export type FaultState = (typeof FAULT_STATES)[number];

export const FAULT_MOVES = ['acknowledge', 'start', 'wait', 'resume', 'resolve', 'reopen', 'close'] as const;
export type FaultMove = (typeof FAULT_MOVES)[number];

const TRANSITIONS: Record<FaultMove, { from: readonly FaultState[]; to: FaultState }> = {
  acknowledge: { from: ['reported'], to: 'acknowledged' },
  start: { from: ['acknowledged'], to: 'in_progress' },
  wait: { from: ['acknowledged', 'in_progress'], to: 'waiting_on_user' },
  resume: { from: ['waiting_on_user'], to: 'in_progress' },
  resolve: { from: ['reported', 'acknowledged', 'in_progress', 'waiting_on_user'], to: 'resolved' },
  reopen: { from: ['resolved'], to: 'in_progress' },
  close: { from: ['resolved'], to: 'closed' },
};

/** The state a move leads to, or undefined when the move is not allowed from `from`. */
export function nextState(from: FaultState, move: FaultMove): FaultState | undefined {
  const rule = TRANSITIONS[move];
  return rule.from.includes(from) ? rule.to : undefined;
}

export function isOpen(state: FaultState): boolean {
  return state !== 'resolved' && state !== 'closed';
}

/** Moves that can be offered from a state, in the order of the next likely action. */
export function availableMoves(state: FaultState): FaultMove[] {
  return FAULT_MOVES.filter((move) => nextState(state, move) !== undefined);
}

export const FAULT_ID_PREFIX = 'INC-';

export function formatFaultId(number: number): string {
  return `${FAULT_ID_PREFIX}${number}`;
}

/** Parses `INC-42` (any case, surrounding spaces allowed) into 42. */
export function parseFaultId(text: string): number | undefined {
  const match = /^\s*inc-(\d{1,9})\s*$/i.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

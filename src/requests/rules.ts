// Service request rules (policy 4.3): the catalog of types, priority from urgency and importance, and
// the state machine submitted -> assigned -> fulfilled -> closed. Pure, no I/O.
import { priorityOf, type Level, type Priority } from '../faults/rules.js';

export const REQUEST_STATES = ['submitted', 'assigned', 'fulfilled', 'closed'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export const REQUEST_MOVES = ['take', 'assign', 'fulfil', 'reopen', 'close'] as const;
export type RequestMove = (typeof REQUEST_MOVES)[number];

const TRANSITIONS: Record<RequestMove, { from: readonly RequestState[]; to: RequestState }> = {
  take: { from: ['submitted'], to: 'assigned' },
  assign: { from: ['submitted', 'assigned'], to: 'assigned' },
  fulfil: { from: ['assigned'], to: 'fulfilled' },
  reopen: { from: ['fulfilled'], to: 'assigned' },
  close: { from: ['fulfilled'], to: 'closed' },
};

/** The state a move leads to, or undefined when the move is not allowed from `from`. */
export function nextRequestState(from: RequestState, move: RequestMove): RequestState | undefined {
  const rule = TRANSITIONS[move];
  return rule.from.includes(from) ? rule.to : undefined;
}

export function isRequestOpen(state: RequestState): boolean {
  return state === 'submitted' || state === 'assigned';
}

/** Importance (1 high: many people or a critical need .. 3 low) x urgency -> P1..P4, the fault matrix. */
export function requestPriority(importance: Level, urgency: Level): Priority {
  return priorityOf(importance, urgency);
}

/** The catalog offered in the form until an admin sets `request_catalog`. */
export const DEFAULT_CATALOG = ['account', 'access', 'hardware', 'software', 'other'] as const;
/** Types with a translated label; others are shown as written. */
export type KnownRequestType = (typeof DEFAULT_CATALOG)[number];

export function isKnownType(type: string): type is KnownRequestType {
  return (DEFAULT_CATALOG as readonly string[]).includes(type);
}

export const MAX_CATALOG_ENTRIES = 20;

/** `account, access, hardware` -> the normalised list (lower case, unique), or undefined when invalid. */
export function parseCatalog(text: string): string[] | undefined {
  const entries = text
    .split(/[\s,;]+/)
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e.length > 0);
  if (entries.length === 0 || entries.length > MAX_CATALOG_ENTRIES) return undefined;
  if (entries.some((e) => !/^[a-z0-9][a-z0-9_-]{0,31}$/.test(e))) return undefined;
  return [...new Set(entries)];
}

export const REQUEST_ID_PREFIX = 'REQ-';

export function formatRequestId(number: number): string {
  return `${REQUEST_ID_PREFIX}${number}`;
}

/** Parses `REQ-7` (any case, surrounding spaces allowed) into 7. */
export function parseRequestId(text: string): number | undefined {
  const match = /^\s*req-(\d{1,9})\s*$/i.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

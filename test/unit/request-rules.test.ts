import { describe, expect, it } from 'vitest';
import { REQUEST_MOVES, REQUEST_STATES, formatRequestId, isRequestOpen, nextRequestState, parseCatalog, parseRequestId, requestPriority } from '../../src/requests/rules.js';

describe('service request rules', () => {
  it('derives priority from importance and urgency with the fault matrix', () => {
    expect(requestPriority(1, 1)).toBe('P1');
    expect(requestPriority(1, 2)).toBe('P2');
    expect(requestPriority(2, 1)).toBe('P2');
    expect(requestPriority(2, 2)).toBe('P3');
    expect(requestPriority(3, 1)).toBe('P3');
    expect(requestPriority(3, 3)).toBe('P4');
  });

  it('moves submitted -> assigned -> fulfilled -> closed, and nothing else', () => {
    const allowed: string[] = [];
    for (const state of REQUEST_STATES) for (const move of REQUEST_MOVES) {
      const to = nextRequestState(state, move);
      if (to) allowed.push(`${state} -${move}-> ${to}`);
    }
    expect(allowed).toEqual([
      'submitted -take-> assigned',
      'submitted -assign-> assigned',
      'assigned -assign-> assigned',
      'assigned -fulfil-> fulfilled',
      'fulfilled -reopen-> assigned',
      'fulfilled -close-> closed',
    ]);
    expect(REQUEST_STATES.filter(isRequestOpen)).toEqual(['submitted', 'assigned']);
  });

  it('reads the catalog and ids', () => {
    expect(parseCatalog('Account, access ; hardware software  other, access')).toEqual(['account', 'access', 'hardware', 'software', 'other']);
    expect(parseCatalog('')).toBeUndefined();
    expect(parseCatalog('new laptop!')).toBeUndefined();
    expect(formatRequestId(7)).toBe('REQ-7');
    expect(parseRequestId(' req-7 ')).toBe(7);
    expect(parseRequestId('INC-7')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { hasRole } from '../../src/people/roles.js';

describe('role guards', () => {
  it('treats everyone as requester', () => {
    expect(hasRole([], 'requester')).toBe(true);
    expect(hasRole([], 'engineer')).toBe(false);
  });

  it('lets admins and managers do what engineers do, but not approvers', () => {
    expect(hasRole(['admin'], 'engineer')).toBe(true);
    expect(hasRole(['manager'], 'engineer')).toBe(true);
    expect(hasRole(['approver'], 'engineer')).toBe(false);
    expect(hasRole(['engineer'], 'admin')).toBe(false);
    expect(hasRole(['manager'], 'admin')).toBe(false);
  });
});

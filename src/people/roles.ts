// Roles (policy 3.1) and the guards over them. Pure functions, unit-tested without a database.

import { ForbiddenError } from '../errors.js';

export const ROLES = ['requester', 'engineer', 'approver', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that can be granted; everyone is a requester without a grant. */
export const GRANTABLE_ROLES = ['engineer', 'approver', 'manager', 'admin'] as const;
export type GrantableRole = (typeof GRANTABLE_ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Admins may do everything; managers may do what engineers do. */
const IMPLIED: Record<Role, readonly Role[]> = {
  requester: ['requester'],
  engineer: ['requester', 'engineer'],
  approver: ['requester', 'approver'],
  manager: ['requester', 'engineer', 'approver', 'manager'],
  admin: ['requester', 'engineer', 'approver', 'manager', 'admin'],
};

export function effectiveRoles(granted: readonly Role[]): Set<Role> {
  const roles = new Set<Role>(['requester']);
  for (const role of granted) for (const implied of IMPLIED[role]) roles.add(implied);
  return roles;
}

export function hasRole(granted: readonly Role[], needed: Role): boolean {
  return effectiveRoles(granted).has(needed);
}

/**
 * Throws ForbiddenError `core.error.roleRequired` ("{command} needs the {role} role", with the grant
 * command) unless `granted` implies `needed`; `command` is the form the person typed (`/ops kpi team`).
 */
export function requireRole(granted: readonly Role[], needed: Role, command: string): void {
  if (!hasRole(granted, needed)) throw new ForbiddenError('core.error.roleRequired', { role: { key: `people.role.${needed}` }, code: needed, command });
}

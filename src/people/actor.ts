import type { Role } from './roles.js';
import type { Platform } from '../chat/model.js';

/** A plain actor, as services take it: the person and their roles, no platform objects. */
export interface Actor {
  personId: number;
  displayName: string;
  roles: Role[];
  platform: Platform;
  userId: string;
}

/** Who a timeline entry and audit entry name: a person, or opsdesk itself (personId null) for jobs. */
export interface Party {
  personId: number | null;
  displayName: string;
}

/** opsdesk acting on its own, e.g. a job closing records nobody confirmed. */
export const SYSTEM: Party = { personId: null, displayName: 'opsdesk' };

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

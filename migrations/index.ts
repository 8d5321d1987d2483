import { Initial1764201600000 } from './1764201600000-Initial.js';

/** Every migration, oldest first; the DataSource runs them at start-up. */
export const MIGRATIONS = [Initial1764201600000];

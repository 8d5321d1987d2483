import { homeButtons } from './interactions.js';
import type { Capability } from '../capability.js';

/** The personal overview (Slack App Home, `/ops me`): its buttons open the report, request and change forms. `/ops me` is part of the core `/ops`. */
export const homeCapability: Capability = {
  name: 'home',
  buttons: homeButtons,
};

// The buttons of the overview that start something: they open the same forms as `/fault`,
// `/request` and `/change`. Approve / Reject on the overview are the change buttons themselves.
import { HOME_BUTTONS } from './view.js';
import { requestForm } from '../changes/forms.js';
import type { ButtonHandler } from '../chat/interactions.js';
import { reportForm } from '../faults/forms.js';
import { newRequestForm } from '../requests/forms.js';

export const homeButtons: ButtonHandler[] = [
  { actionId: HOME_BUTTONS.fault, run: async (ctx) => ({ type: 'form', form: reportForm(ctx.t, await ctx.services.cis.choices()) }) },
  { actionId: HOME_BUTTONS.request, run: async (ctx) => ({ type: 'form', form: newRequestForm(ctx.t, await ctx.services.requests.catalog(), await ctx.services.cis.choices()) }) },
  { actionId: HOME_BUTTONS.change, run: async (ctx) => ({ type: 'form', form: requestForm(ctx.t, ctx.timeZone) }) },
];

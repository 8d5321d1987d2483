import { z } from 'zod';
import {
  APPROVE_FORM,
  HAND_OVER_FORM,
  OUTCOME_FORM,
  REJECT_FORM,
  REQUEST_FORM,
  RESCHEDULE_FORM,
  REVIEW_FORM,
  approveForm,
  handOverForm,
  outcomeForm,
  rejectForm,
  rescheduleForm,
  reviewForm,
} from './forms.js';
import { CHANGE_LIMITS, changeFormSchema, planProblems } from './request-input.js';
import { formatChangeId, parseChangeId, parseConfigItems, parseWindow, type TimeWindow } from './rules.js';
import type { ChangeService } from './service.js';
import { changeDetailMessage } from './views.js';
import type { CommandContext } from '../chat/context.js';
import { parseForm } from '../chat/forms.js';
import { done, privateText, type ButtonHandler, type FormHandler } from '../chat/interactions.js';
import type { ChatReply } from '../chat/model.js';
import { FieldErrors, NotFoundError } from '../errors.js';
import { TIME_INPUT_FORMS } from '../time/time-input.js';
import type { Actor } from '../people/actor.js';
import { countKey } from '../chat/i18n/catalog.js';

export function changeNumber(value: string): number {
  const id = parseChangeId(value);
  if (id === undefined) throw new NotFoundError('changes.error.notFound', { id: value.slice(0, 20) });
  return id;
}

/** Reads a window typed in the configured zone; problems become field errors, with any others found. */
function readWindow(ctx: CommandContext, values: { windowStart: string; windowEnd: string }, otherErrors: FieldErrors['errors'] = {}): TimeWindow {
  const parsed = parseWindow(values.windowStart, values.windowEnd, ctx.timeZone, ctx.clock.now());
  const errors: FieldErrors['errors'] = { ...otherErrors };
  if (!parsed.ok) {
    for (const [field, problem] of Object.entries(parsed.errors)) {
      errors[field] = { key: `changes.error.window.${problem}`, params: { zone: ctx.timeZone, forms: TIME_INPUT_FORMS } };
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.ok) throw new FieldErrors(errors);
  return parsed.window;
}

/** The card and timeline, privately: what the Details button and `/change show` answer. */
export async function detailReply(ctx: CommandContext, id: number): Promise<ChatReply> {
  const { snapshot, timeline, people } = await ctx.services.changeQueries.detail(id);
  const message = changeDetailMessage(snapshot, timeline, { t: ctx.t, platform: ctx.chatActor.platform, timeZone: ctx.timeZone, people });
  return { type: 'private', message };
}

function actionButton(actionId: string, act: (changes: ChangeService, actor: Actor, id: number) => Promise<unknown>): ButtonHandler {
  return {
    actionId,
    async run(ctx, value) {
      await act(ctx.services.changes, ctx.actor, changeNumber(value));
      return done;
    },
  };
}

/** Buttons that open a form check first, so nobody fills in a form that will be refused. */
function formButton(actionId: string, open: (ctx: CommandContext, id: number) => Promise<ChatReply>): ButtonHandler {
  return { actionId, run: (ctx, value) => open(ctx, changeNumber(value)) };
}

export const changeButtons: ButtonHandler[] = [
  actionButton('change.approve', (c, a, id) => c.approve(a, id)),
  actionButton('change.start', (c, a, id) => c.start(a, id)),
  actionButton('change.complete', (c, a, id) => c.finish(a, id, 'completed')),
  formButton('change.approveWithComment', async (ctx, id) => {
    await ctx.services.changes.checkCanDecide(ctx.actor, id);
    return { type: 'form', form: approveForm(ctx.t, id) };
  }),
  formButton('change.reject', async (ctx, id) => {
    await ctx.services.changes.checkCanDecide(ctx.actor, id);
    return { type: 'form', form: rejectForm(ctx.t, id) };
  }),
  formButton('change.rollBack', async (ctx, id) => {
    await ctx.services.changes.precheck(ctx.actor, id, 'finish');
    return { type: 'form', form: outcomeForm(ctx.t, id, 'rolled_back') };
  }),
  formButton('change.fail', async (ctx, id) => {
    await ctx.services.changes.precheck(ctx.actor, id, 'finish');
    return { type: 'form', form: outcomeForm(ctx.t, id, 'failed') };
  }),
  formButton('change.review', async (ctx, id) => {
    await ctx.services.changes.precheck(ctx.actor, id, 'review');
    return { type: 'form', form: reviewForm(ctx.t, id) };
  }),
  formButton('change.handOver', async (ctx, id) => {
    await ctx.services.changes.precheck(ctx.actor, id, 'handOver');
    return { type: 'form', form: handOverForm(ctx.t, id) };
  }),
  formButton('change.reschedule', async (ctx, id) => {
    await ctx.services.changes.precheck(ctx.actor, id, 'reschedule');
    return { type: 'form', form: rescheduleForm(ctx.t, id, ctx.timeZone) };
  }),
  formButton('change.details', detailReply),
];

const noteSchema = z.object({ note: z.string().trim().min(1).max(CHANGE_LIMITS.note) });
const windowSchema = z.object({ windowStart: z.string().trim().min(1).max(CHANGE_LIMITS.window), windowEnd: z.string().trim().min(1).max(CHANGE_LIMITS.window) });

export const changeForms: FormHandler[] = [
  {
    formId: REQUEST_FORM,
    async run(ctx, _context, values) {
      const input = parseForm(changeFormSchema, values);
      const window = readWindow(ctx, input, planProblems(input));
      const change = await ctx.services.changes.request(ctx.actor, { ...input, window, configItems: parseConfigItems(input.configItems) });
      const channel = await ctx.services.settings.get('change_channel');
      const id = formatChangeId(change.id);
      const key = change.type === 'standard' ? 'changes.reply.standard' : countKey(channel ? 'changes.reply.submitted' : 'changes.reply.submittedNoChannel', change.approvalsRequired);
      return privateText(ctx.t(key, { id, needed: change.approvalsRequired, state: ctx.t(`changes.state.${change.state}`) }));
    },
  },
  {
    formId: REJECT_FORM,
    async run(ctx, context, values) {
      const { reason } = parseForm(z.object({ reason: z.string().trim().min(1).max(CHANGE_LIMITS.note) }), values);
      await ctx.services.changes.reject(ctx.actor, changeNumber(context), reason);
      return done;
    },
  },
  {
    formId: APPROVE_FORM,
    async run(ctx, context, values) {
      const { comment } = parseForm(z.object({ comment: z.string().trim().max(CHANGE_LIMITS.comment).optional() }), values);
      await ctx.services.changes.approve(ctx.actor, changeNumber(context), comment);
      return done;
    },
  },
  {
    formId: OUTCOME_FORM,
    async run(ctx, context, values) {
      const [id = '', outcome] = context.split(':');
      if (outcome !== 'failed' && outcome !== 'rolled_back') throw new NotFoundError('changes.error.notFound', { id: context.slice(0, 20) });
      const { note } = parseForm(noteSchema, values);
      await ctx.services.changes.finish(ctx.actor, changeNumber(id), outcome, note);
      return done;
    },
  },
  {
    formId: REVIEW_FORM,
    async run(ctx, context, values) {
      const { note } = parseForm(noteSchema, values);
      await ctx.services.changes.review(ctx.actor, changeNumber(context), note);
      return done;
    },
  },
  {
    formId: HAND_OVER_FORM,
    async run(ctx, context, values) {
      const userId = (values.implementer ?? '').trim().replace(/^@/, '');
      if (!userId) throw new FieldErrors({ implementer: { key: 'core.form.required' } });
      await ctx.services.changes.handOver(ctx.actor, changeNumber(context), { platform: ctx.chatActor.platform, userId });
      return done;
    },
  },
  {
    formId: RESCHEDULE_FORM,
    async run(ctx, context, values) {
      const window = readWindow(ctx, parseForm(windowSchema, values));
      await ctx.services.changes.reschedule(ctx.actor, changeNumber(context), window);
      return done;
    },
  },
];

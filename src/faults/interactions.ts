import { REASSIGN_FORM, REPORT_FORM, RESOLVE_FORM, reassignForm, resolveForm } from './forms.js';
import { formatFaultId, parseFaultId } from './rules.js';
import { faultReportSchema, faultResolutionSchema, type FaultService } from './service.js';
import type { CommandContext } from '../chat/context.js';
import { parseForm } from '../chat/forms.js';
import { done, privateText, type ButtonHandler, type FormHandler } from '../chat/interactions.js';
import type { ChatReply } from '../chat/model.js';
import { FieldErrors, ForbiddenError, NotFoundError } from '../errors.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';

function faultNumber(value: string): number {
  const id = parseFaultId(value);
  if (id === undefined) throw new NotFoundError('faults.error.notFound', { id: value.slice(0, 20) });
  return id;
}

function moveButton(actionId: string, move: (faults: FaultService, actor: Actor, id: number) => Promise<unknown>): ButtonHandler {
  return {
    actionId,
    async run(ctx, value) {
      await move(ctx.services.faults, ctx.actor, faultNumber(value));
      return done;
    },
  };
}

/** Buttons that open a form check the role first, so nobody fills in a form that will be refused. */
function formButton(actionId: string, open: (ctx: CommandContext, id: number) => Promise<ChatReply>): ButtonHandler {
  return {
    actionId,
    async run(ctx, value) {
      const id = faultNumber(value);
      await ctx.services.faults.get(id);
      if (!hasRole(ctx.actor.roles, 'engineer')) {
        throw new ForbiddenError('faults.error.engineerOnly', { move: { key: actionId === 'fault.resolve' ? 'faults.move.resolve' : 'faults.move.reassign' } });
      }
      return open(ctx, id);
    },
  };
}

export const faultButtons: ButtonHandler[] = [
  moveButton('fault.ack', (f, a, id) => f.acknowledge(a, id)),
  moveButton('fault.start', (f, a, id) => f.start(a, id)),
  moveButton('fault.wait', (f, a, id) => f.waitOnUser(a, id)),
  moveButton('fault.resume', (f, a, id) => f.resume(a, id)),
  moveButton('fault.reopen', (f, a, id) => f.reopen(a, id)),
  moveButton('fault.close', (f, a, id) => f.close(a, id)),
  formButton('fault.resolve', async (ctx, id) => ({ type: 'form', form: resolveForm(ctx.t, id) })),
  formButton('fault.reassign', async (ctx, id) => ({ type: 'form', form: reassignForm(ctx.t, id) })),
];

export const faultForms: FormHandler[] = [
  {
    formId: REPORT_FORM,
    async run(ctx, _context, values) {
      const input = parseForm(faultReportSchema, values);
      const fault = await ctx.services.faults.report(ctx.actor, input);
      const channel = await ctx.services.settings.get('fault_channel');
      return privateText(
        ctx.t(channel ? 'faults.reply.reported' : 'faults.reply.reportedNoChannel', { id: formatFaultId(fault.id), priority: fault.priority }),
      );
    },
  },
  {
    formId: RESOLVE_FORM,
    async run(ctx, context, values) {
      const resolution = parseForm(faultResolutionSchema, values);
      await ctx.services.faults.resolve(ctx.actor, faultNumber(context), resolution);
      return done;
    },
  },
  {
    formId: REASSIGN_FORM,
    async run(ctx, context, values) {
      const userId = (values.assignee ?? '').trim().replace(/^@/, '');
      if (!userId) throw new FieldErrors({ assignee: { key: 'core.form.required' } });
      await ctx.services.faults.reassign(ctx.actor, faultNumber(context), { platform: ctx.chatActor.platform, userId });
      return done;
    },
  },
];

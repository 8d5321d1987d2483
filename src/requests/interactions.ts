import { ASSIGN_FORM, FULFIL_FORM, NEW_REQUEST_FORM, assignForm, fulfilForm } from './forms.js';
import { formatRequestId, parseRequestId } from './rules.js';
import { requestFulfilSchema, requestSubmitSchema, type RequestService } from './service.js';
import type { CommandContext } from '../chat/context.js';
import { parseForm } from '../chat/forms.js';
import { done, privateText, type ButtonHandler, type FormHandler } from '../chat/interactions.js';
import type { ChatReply } from '../chat/model.js';
import { FieldErrors, ForbiddenError, NotFoundError } from '../errors.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import { requestChannel } from './settings.js';

function requestNumber(value: string): number {
  const id = parseRequestId(value);
  if (id === undefined) throw new NotFoundError('requests.error.notFound', { id: value.slice(0, 20) });
  return id;
}

function moveButton(actionId: string, move: (requests: RequestService, actor: Actor, id: number) => Promise<unknown>): ButtonHandler {
  return {
    actionId,
    async run(ctx, value) {
      await move(ctx.services.requests, ctx.actor, requestNumber(value));
      return done;
    },
  };
}

/** Buttons that open a form check the role first, so nobody fills in a form that will be refused. */
function formButton(actionId: string, move: 'fulfil' | 'assign', open: (ctx: CommandContext, id: number) => Promise<ChatReply>): ButtonHandler {
  return {
    actionId,
    async run(ctx, value) {
      const id = requestNumber(value);
      await ctx.services.requests.get(id);
      if (!hasRole(ctx.actor.roles, 'engineer')) throw new ForbiddenError('requests.error.engineerOnly', { move: { key: `requests.move.${move}` } });
      return open(ctx, id);
    },
  };
}

export const requestButtons: ButtonHandler[] = [
  moveButton('request.take', (r, a, id) => r.take(a, id)),
  moveButton('request.reopen', (r, a, id) => r.reopen(a, id)),
  moveButton('request.close', (r, a, id) => r.close(a, id)),
  formButton('request.fulfil', 'fulfil', async (ctx, id) => ({ type: 'form', form: fulfilForm(ctx.t, id) })),
  formButton('request.assign', 'assign', async (ctx, id) => ({ type: 'form', form: assignForm(ctx.t, id) })),
];

export const requestForms: FormHandler[] = [
  {
    formId: NEW_REQUEST_FORM,
    async run(ctx, _context, values) {
      const input = parseForm(requestSubmitSchema, values);
      const request = await ctx.services.requests.submit(ctx.actor, input);
      const channel = await requestChannel(ctx.services.settings);
      return privateText(ctx.t(channel ? 'requests.reply.submitted' : 'requests.reply.submittedNoChannel', { id: formatRequestId(request.id), priority: request.priority }));
    },
  },
  {
    formId: FULFIL_FORM,
    async run(ctx, context, values) {
      const { fulfilment } = parseForm(requestFulfilSchema, values);
      await ctx.services.requests.fulfil(ctx.actor, requestNumber(context), fulfilment);
      return done;
    },
  },
  {
    formId: ASSIGN_FORM,
    async run(ctx, context, values) {
      const userId = (values.assignee ?? '').trim().replace(/^@/, '');
      if (!userId) throw new FieldErrors({ assignee: { key: 'core.form.required' } });
      await ctx.services.requests.assign(ctx.actor, requestNumber(context), { platform: ctx.chatActor.platform, userId });
      return done;
    },
  },
];

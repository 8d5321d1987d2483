// Forms filled in over several Discord interactions keep their state in the database, so that the
// next step can be taken by whichever replica Discord (or the load balancer) sends it to.
import { randomBytes } from 'node:crypto';
import { LessThan } from 'typeorm';
import { z } from 'zod';
import type { ChatForm } from '../../chat/model.js';
import type { Clock } from '../../clock.js';
import { DiscordFormDraft } from '../../store/entities/index.js';
import type { Store } from '../../store/store.js';

/** How long a half-filled form waits for its next step. */
export const DRAFT_TTL_MS = 60 * 60_000;

export interface Draft {
  id: string;
  userId: string;
  channelId?: string;
  form: ChatForm;
  values: Record<string, string>;
}

const formSchema = z.object({
  formId: z.string(),
  title: z.string(),
  submitLabel: z.string(),
  context: z.string(),
  fields: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      kind: z.enum(['text', 'textarea', 'select', 'user']),
      required: z.boolean(),
      hint: z.string().optional(),
      maxLength: z.number().optional(),
      options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
      initial: z.string().optional(),
    }),
  ),
});
const valuesSchema = z.record(z.string(), z.string());

export class FormDrafts {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async create(form: ChatForm, userId: string, channelId: string | undefined): Promise<Draft> {
    const id = randomBytes(12).toString('base64url');
    const now = this.clock.now();
    await this.store.transaction(async (manager) => {
      // Abandoned forms are swept whenever a new one starts.
      await manager.delete(DiscordFormDraft, { expiresAt: LessThan(now) });
      await manager.insert(DiscordFormDraft, {
        id,
        userId,
        channelId: channelId ?? null,
        form: JSON.stringify(form),
        fieldValues: '{}',
        createdAt: now,
        expiresAt: new Date(now.getTime() + DRAFT_TTL_MS),
      });
    });
    return { id, userId, form, values: {}, ...(channelId ? { channelId } : {}) };
  }

  /** The draft, when it exists, has not expired and belongs to this user. */
  async get(id: string, userId: string): Promise<Draft | undefined> {
    const row = await this.store.manager.findOne(DiscordFormDraft, { where: { id } });
    if (!row || row.userId !== userId || row.expiresAt.getTime() < this.clock.now().getTime()) return undefined;
    const form = formSchema.safeParse(JSON.parse(row.form));
    const values = valuesSchema.safeParse(JSON.parse(row.fieldValues));
    if (!form.success || !values.success) return undefined;
    return { id: row.id, userId: row.userId, form: form.data, values: values.data, ...(row.channelId ? { channelId: row.channelId } : {}) };
  }

  /** Adds values to the draft (each step contributes its fields); returns every value so far. */
  async save(draft: Draft, values: Record<string, string>): Promise<Record<string, string>> {
    const merged = { ...draft.values, ...values };
    await this.store.transaction((manager) => manager.update(DiscordFormDraft, { id: draft.id }, { fieldValues: JSON.stringify(merged) }));
    draft.values = merged;
    return merged;
  }

  async delete(id: string): Promise<void> {
    await this.store.transaction((manager) => manager.delete(DiscordFormDraft, { id }));
  }
}

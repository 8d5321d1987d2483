// Helpers for Discord end-to-end tests that use forms and buttons of any size: a form the bot opens
// is taken in steps on Discord (modals of at most five text inputs, "Open the form" between modals,
// then select menus on a private message and the form's button; see src/platforms/discord/forms.ts).
import { expect } from 'vitest';
import { customIdsOf, type DiscordUser, type InteractionResult, type ModalRecord, type StoredMessage } from '../fakes/discord/index.js';
import { answeredWell, messageOf, modalOf, type DiscordWorld } from './discord-scenario.js';

/** The part of a form step's custom_id (`f|<draft>|<step>|<part>`): a field id, `next`, `open` or `edit`. */
function formPart(customId: string): string | undefined {
  const [prefix, , , part] = customId.split('|');
  return prefix === 'f' ? part : undefined;
}

/** The custom_id of a chat-model button (`a|change.approve|CHG-1`) on a message. */
export function buttonId(message: StoredMessage | undefined, actionId: string): string {
  const id = customIdsOf(message).find((customId) => customId.split('|')[1] === actionId);
  if (!id) throw new Error(`no ${actionId} button on message ${message?.id ?? '(none)'}`);
  return id;
}

/** The text inputs of a modal, by custom_id, in order. */
export function modalInputs(modal: ModalRecord): { id: string; required: boolean; value?: string }[] {
  const rows: unknown[] = Array.isArray(modal.data.components) ? modal.data.components : [];
  return rows.map((row) => {
    const input = (row as { component?: { custom_id: string; required?: boolean; value?: string } }).component;
    if (!input) throw new Error('a modal row without a labelled text input');
    return { id: input.custom_id, required: input.required !== false, ...(input.value === undefined ? {} : { value: input.value }) };
  });
}

/**
 * Fills in a form the bot opened with `opened`, as a person would on Discord: each modal with the
 * `answers` for its inputs (by field id; inputs not named keep what they show), "Open the form"
 * between modals, each select menu with the answer for its field, then the step's button. Stops at the
 * first answer that is not a further step, which is the form's outcome or its refusal ("Not saved:
 * ..." with "Edit and send again", or a choice step with a ⚠ problem), and returns it with the modals
 * it filled in.
 */
export async function fillForm(
  world: Pick<DiscordWorld, 'fake' | 'driver'>,
  user: DiscordUser,
  opened: InteractionResult,
  answers: Record<string, string>,
): Promise<{ result: InteractionResult; modals: ModalRecord[] }> {
  const { fake, driver } = world;
  const modals: ModalRecord[] = [];
  let result = answeredWell(opened);
  for (let turns = 0; turns < 12; turns += 1) {
    if (result.response?.type === 9) {
      const modal = modalOf(fake, result);
      modals.push(modal);
      result = answeredWell(await driver.submitModal({ user, modal, values: answers }));
      continue;
    }
    const step = messageOf(fake, result);
    const ids = customIdsOf(step).filter((id) => formPart(id) !== undefined);
    const open = ids.find((id) => formPart(id) === 'open');
    if (open) {
      result = answeredWell(await driver.click({ user, message: step, customId: open }));
      continue;
    }
    const next = ids.find((id) => formPart(id) === 'next');
    if (!next || step.content.includes('⚠')) return { result, modals };
    let current = step;
    for (const id of ids) {
      const answer = answers[formPart(id) ?? ''];
      if (answer === undefined || id === next) continue;
      const picked = answeredWell(await driver.select({ user, message: current, customId: id, values: [answer] }));
      expect(picked.response?.type).toBe(7);
      current = messageOf(fake, picked);
    }
    result = answeredWell(await driver.click({ user, message: current, customId: next }));
  }
  throw new Error('the form did not end within 12 steps');
}

/**
 * The private answer to an interaction once it says `says` (a slow answer is first deferred and
 * edited later), checked to be seen by `user` only and flagged ephemeral (64).
 */
export async function privateAnswer(world: Pick<DiscordWorld, 'fake'>, user: DiscordUser, result: InteractionResult, says: string): Promise<StoredMessage> {
  const { fake } = world;
  const answered = await fake
    .waitFor(() => {
      const message = messageOf(fake, result);
      return message.content.includes(says) ? message : undefined;
    })
    .catch(() => {
      throw new Error(`the answer never said "${says}"; it says: ${messageOf(fake, result).content}`);
    });
  expect([answered.visibleTo, answered.flags & 64]).toEqual([user.id, 64]);
  return answered;
}

// `/ops me` on Discord: the same steps whether interactions arrive over the gateway or as signed
// HTTP requests (discord-gateway.test.ts, discord-http.test.ts). Runs after the fault scenario, in
// which anna reported INC-1 (resolved) and INC-2 (open).
import { expect, it } from 'vitest';
import { customIdsOf, textOf } from '../fakes/discord/index.js';
import { ANNA, OPS, answeredWell, messageOf, modalOf, type DiscordWorld } from './discord-scenario.js';

export function overviewScenarioOnDiscord(world: () => DiscordWorld): void {
  it('answers /ops me privately with the overview, whose buttons open the same forms as the commands', async () => {
    const { fake, driver } = world();
    const refusedBefore = fake.refusals.length;
    const result = answeredWell(await driver.command({ user: ANNA, channelId: OPS, command: 'ops me' }));
    expect(result.response?.type).toBe(4);
    const message = messageOf(fake, result);
    expect(message.flags & 64).toBe(64);
    const text = textOf(message);
    expect(text).toContain('Your overview');
    expect(text).toContain('Your open records (1)');
    expect(text).toContain('⚪ INC-2 · P4 · Printer on fire — Reported');
    expect(text).not.toContain('INC-1');
    expect(text).toContain('You have no on-call turn in the next 14 days.');
    expect(customIdsOf(message)).toEqual(['a|home.newFault|new', 'a|home.newRequest|new', 'a|home.newChange|new']);

    const click = answeredWell(await driver.click({ user: ANNA, message, customId: 'a|home.newFault|new' }));
    const fromButton = modalOf(fake, click);
    const fromCommand = modalOf(fake, answeredWell(await driver.command({ user: ANNA, channelId: OPS, command: 'fault report' })));
    // Draft ids differ from form to form; everything else is the same form.
    const shape = (data: unknown) => JSON.stringify(data).replace(/f\|[A-Za-z0-9_-]+\|/g, 'f|DRAFT|');
    expect(shape(fromButton.data)).toBe(shape(fromCommand.data));
    expect(shape(fromButton.data)).toContain('Report a fault');
    expect(fake.refusals.slice(refusedBefore)).toEqual([]);
  });
}

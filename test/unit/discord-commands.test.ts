import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { COMMANDS } from '../../commands/index.js';
import { defineCommand, subcommand } from '../../src/chat/command-def.js';
import { routeCommand } from '../../src/chat/command-router.js';
import { done } from '../../src/chat/interactions.js';
import { CommandPayloadError, commandPayload, commandPayloads, type GroupPayload, type SubcommandPayload } from '../../src/platforms/discord/commands.js';
import { commandText } from '../../src/platforms/discord/command-text.js';
import { suggestSourceOf } from '../../src/platforms/discord/autocomplete.js';
import { validateCommands } from '../fakes/discord/index.js';

const byName = (name: string) => {
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new Error(`no command ${name}`);
  return command;
};

describe('Discord command registration from the command definitions', () => {
  const payloads = commandPayloads(COMMANDS);

  it('satisfies Discord naming and size rules for every command', () => {
    expect(validateCommands(payloads)).toEqual([]);
    expect(payloads.map((p) => p.name)).toEqual(COMMANDS.map((c) => c.name));
    for (const payload of payloads) {
      expect(payload.contexts).toEqual([0, 1]);
      expect(payload.description_localizations['zh-CN']).toBeTruthy();
    }
  });

  it('makes subcommands of /fault, including the bare form as `report`, with typed options and choices', () => {
    const fault = commandPayload(byName('fault'));
    const subs = fault.options as SubcommandPayload[];
    expect(subs.map((s) => [s.type, s.name])).toEqual([
      [1, 'report'],
      [1, 'list'],
      [1, 'show'],
      [1, 'search'],
      [1, 'export'],
    ]);
    expect(subs[1]?.options).toEqual([
      {
        type: 3,
        name: 'scope',
        description: 'Which faults',
        description_localizations: { 'zh-CN': expect.any(String) as string },
        required: false,
        choices: [
          { name: 'mine', value: 'mine' },
          { name: 'open', value: 'open' },
          { name: 'all', value: 'all' },
        ],
      },
    ]);
    expect(subs[2]?.options[0]).toMatchObject({ name: 'id', type: 3, required: true });
  });

  it('offers /fault report system with autocomplete over the configuration items, and finds its source again', () => {
    const report = (commandPayload(byName('fault')).options as SubcommandPayload[])[0];
    expect(report?.options).toEqual([
      {
        type: 3,
        name: 'system',
        description: 'Affected system: a configuration item name or alias (type to search)',
        description_localizations: { 'zh-CN': '受影响系统：配置项名称或别名（输入即可搜索）' },
        required: false,
        autocomplete: true,
      },
    ]);
    expect(suggestSourceOf(COMMANDS, ['fault', 'report'], 'system')).toBe('ci');
    expect(suggestSourceOf(COMMANDS, ['request', 'new'], 'system')).toBe('ci');
    const newRequest = (commandPayload(byName('request')).options as SubcommandPayload[]).find((s) => s.name === 'new');
    expect(newRequest?.options).toEqual([expect.objectContaining({ name: 'system', type: 3, autocomplete: true, required: false })]);
    expect(suggestSourceOf(COMMANDS, ['fault', 'search'], 'text')).toBeUndefined();
    expect(suggestSourceOf(COMMANDS, ['fault', 'nosuch'], 'system')).toBeUndefined();
    expect(suggestSourceOf(COMMANDS, ['nosuch'], 'system')).toBeUndefined();
    // The Slack text the command becomes prefills the form's affected system.
    expect(commandText([{ name: 'report', type: 1, options: [{ name: 'system', type: 3, value: '数据库 主库' }] }])).toBe('report system="数据库 主库"');
  });

  it('makes /ops role a subcommand group whose add takes a USER option and the role as choices', () => {
    const ops = commandPayload(byName('ops'));
    const role = ops.options.find((o) => o.name === 'role') as GroupPayload;
    expect(role.type).toBe(2);
    expect(role.description).toBe('/ops role: see the subcommands');
    expect(role.options.map((s) => s.name)).toEqual(['add', 'remove', 'list']);
    expect(role.options[0]?.options.map((o) => [o.name, o.type, o.required])).toEqual([
      ['user', 6, true],
      ['role', 3, true],
    ]);
    expect(ops.options.find((o) => o.name === 'link')).toMatchObject({ type: 1, options: [{ name: 'code', type: 3, required: false }] });
  });

  it('puts required options first, gives a command with only a bare form its options directly, and refuses bad names', () => {
    const single = defineCommand({
      name: 'ping',
      description: 'core.command.help',
      bare: 'now',
      subcommands: [
        subcommand({
          name: 'now',
          description: 'core.command.help',
          role: 'requester',
          options: {
            note: { kind: 'string', schema: z.string().optional(), description: 'core.command.help' },
            target: { kind: 'user', schema: z.object({ userId: z.string() }), description: 'core.command.help' },
          },
          run: async () => done,
        }),
      ],
    });
    const payload = commandPayload(single);
    expect(payload.options.map((o) => o.name)).toEqual(['target', 'note']);
    expect(validateCommands([payload])).toEqual([]);
    expect(() => commandPayload({ ...single, name: 'Has Space' })).toThrow(CommandPayloadError);
    expect(() => commandPayload({ ...single, name: 'x'.repeat(33) })).toThrow(CommandPayloadError);
  });
});

describe('Slack-style text rebuilt from typed options', () => {
  it('routes /ops role add with a user option to the same arguments as Slack text', () => {
    const text = commandText(
      [{ name: 'role', type: 2, options: [{ name: 'add', type: 1, options: [{ name: 'user', type: 6, value: '123456789012345678' }, { name: 'role', type: 3, value: 'engineer' }] }] }],
      { '123456789012345678': { id: '123456789012345678', username: 'liwei', global_name: 'Li Wei' } },
    );
    expect(text).toBe('role add user="<@123456789012345678|Li Wei>" role=engineer');
    const routed = routeCommand(byName('ops'), text);
    expect(routed.sub.name).toBe('add');
    expect(routed.typed).toBe('/ops role add');
    expect(routed.args).toEqual({ user: { userId: '123456789012345678', displayName: 'Li Wei' }, role: 'engineer' });
  });

  it('keeps free text with spaces, equals signs and quotes in one option', () => {
    const text = commandText([{ name: 'search', type: 1, options: [{ name: 'text', type: 3, value: 'printer "floor 3" a=b' }] }]);
    expect(text).toBe(`search text="printer 'floor 3' a=b"`);
    expect(routeCommand(byName('fault'), text).args).toEqual({ text: "printer 'floor 3' a=b" });
    expect(routeCommand(byName('fault'), commandText([{ name: 'report', type: 1 }])).sub.name).toBe('report');
    expect(routeCommand(byName('fault'), commandText([{ name: 'list', type: 1, options: [{ name: 'scope', type: 3, value: 'all' }] }])).args).toEqual({ scope: 'all' });
  });

  it('leaves a user without a resolved name as a plain mention', () => {
    expect(commandText([{ name: 'user', type: 6, value: '123456789012345678' }])).toBe('user=<@123456789012345678>');
  });
});

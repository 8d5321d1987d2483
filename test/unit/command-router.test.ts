import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { routeCommand, usageOf } from '../../src/chat/command-router.js';
import { parseUserRef, tokenize, typedName } from '../../src/chat/parse-text.js';
import { parseUserName } from '../../src/platforms/shell/names.js';
import { InvalidInputError } from '../../src/errors.js';

const command = (name: string) => {
  const found = COMMANDS.find((c) => c.name === name);
  if (!found) throw new Error(`no command ${name}`);
  return found;
};

describe('command text parsing', () => {
  it('keeps quoted text, key=value and mentions whole', () => {
    expect(tokenize('search "mail server" scope=all <@U1|li wei>')).toEqual({ words: ['search', 'mail server', '<@U1|li wei>'], named: { scope: 'all' } });
  });

  it('reads a typed @name by the rule /as uses: a letter or digit first, so -cmd names nobody', () => {
    expect(parseUserRef('@Li.Wei')).toEqual({ userId: 'li.wei', displayName: 'Li.Wei' });
    for (const word of ['@-cmd', '-cmd', '@.x', '@_x', `@${'a'.repeat(65)}`]) {
      expect([word, parseUserRef(word)]).toEqual([word, undefined]);
      expect([word, parseUserName(word), typedName(word)]).toEqual([word, undefined, undefined]);
    }
    expect(parseUserRef('<@U123|-cmd>')).toEqual({ userId: 'U123', displayName: '-cmd' });
  });

  it('routes a bare command to its form subcommand', () => {
    expect(routeCommand(command('fault'), '').sub.name).toBe('report');
    expect(routeCommand(command('fault'), 'report').sub.name).toBe('report');
  });

  it('names the subcommand as typed, in its canonical spelling, for errors about it', () => {
    expect(routeCommand(command('ops'), 'REPORT Weekly last-week').typed).toBe('/ops report weekly');
    expect(routeCommand(command('ops'), 'KPI team last-week detail').typed).toBe('/ops kpi');
    expect(routeCommand(command('ops'), 'report alerts 2026-11-01 2026-11-30').typed).toBe('/ops report alerts');
    expect(routeCommand(command('ops'), 'export faults').typed).toBe('/ops export');
    expect(routeCommand(command('fault'), 'report').typed).toBe('/fault report');
    // A bare command is named as typed: /fault alone.
    expect(routeCommand(command('fault'), '').typed).toBe('/fault');
  });

  it('applies option defaults and validates choices', () => {
    expect(routeCommand(command('fault'), 'list').args).toEqual({ scope: 'open' });
    expect(routeCommand(command('fault'), 'list MINE').args).toEqual({ scope: 'mine' });
    expect(() => routeCommand(command('fault'), 'list everything')).toThrow(InvalidInputError);
  });

  it('takes the rest of the text for search', () => {
    expect(routeCommand(command('fault'), 'search printer on floor 3').args).toEqual({ text: 'printer on floor 3' });
  });

  it('reads grouped subcommands and Slack mentions', () => {
    const routed = routeCommand(command('ops'), 'role add <@U123|li.wei> engineer');
    expect(routed.sub.group).toBe('role');
    expect(routed.sub.name).toBe('add');
    expect(routed.args).toEqual({ user: { userId: 'U123', displayName: 'li.wei' }, role: 'engineer' });
    expect(routeCommand(command('ops'), 'role add @Li.Wei engineer').args).toEqual({ user: { userId: 'li.wei', displayName: 'Li.Wei' }, role: 'engineer' });
  });

  it('refuses unknown subcommands, extra words and unknown keys with the usage', () => {
    for (const text of ['frobnicate', 'show INC-1 extra', 'list scope=open colour=red']) {
      try {
        routeCommand(command('fault'), text);
        expect.unreachable(`"${text}" should be refused`);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        expect((error as InvalidInputError).params.usage).toEqual(expect.stringContaining('/fault'));
      }
    }
    expect(() => routeCommand(command('fault'), 'show 42')).toThrow(InvalidInputError);
    expect(() => routeCommand(command('ops'), 'role add engineer')).toThrow(InvalidInputError);
  });

  it('builds usage lines from the definitions', () => {
    const fault = command('fault');
    const list = fault.subcommands.find((s) => s.name === 'list');
    expect(list && usageOf(fault, list)).toBe('/fault list [mine|open|all]');
    const report = fault.subcommands.find((s) => s.name === 'report');
    // `/fault` alone still opens the form; the usage names the optional system it can be given.
    expect(report && usageOf(fault, report, 'slack')).toBe('/fault report [SYSTEM]');
    expect(report && usageOf(fault, report, 'discord')).toBe('/fault report [SYSTEM]');
    // `detail` is a word of the period option; the usage line says so.
    const ops = command('ops');
    const kpi = ops.subcommands.find((s) => s.name === 'kpi');
    expect(kpi && usageOf(ops, kpi)).toBe('/ops kpi [WHO] [PERIOD] [detail]');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { ChatForm, ChatMessage } from '../../src/chat/model.js';
import { harness, stopShells } from '../helpers/shell-harness.js';

afterEach(stopShells);

const card: ChatMessage = {
  fallback: 'INC-7 reported',
  title: '🔴 INC-7 · P1 · Mail server unreachable',
  color: 'red',
  fields: [
    { label: 'Status', value: 'Reported' },
    { label: 'Reporter', value: '@alice' },
  ],
  body: 'Nobody can send mail.',
  context: ['Reported 09:00 via chat'],
  buttons: [
    { actionId: 'fault.ack', value: 'INC-7', label: 'Acknowledge', style: 'primary' },
    { actionId: 'fault.resolve', value: 'INC-7', label: 'Resolve' },
  ],
};

const reportForm: ChatForm = {
  formId: 'fault.report',
  title: 'Report a fault',
  submitLabel: 'Report',
  context: 'ctx-1',
  fields: [
    { id: 'title', label: 'Title', kind: 'text', required: true, maxLength: 20, hint: 'What is broken, in a few words' },
    { id: 'description', label: 'Description', kind: 'textarea', required: true },
    {
      id: 'category',
      label: 'Category',
      kind: 'select',
      required: true,
      options: [
        { value: 'hardware', label: 'Hardware' },
        { value: 'software', label: 'Software' },
        { value: 'network', label: 'Network' },
        { value: 'other', label: 'Other' },
      ],
    },
    {
      id: 'impact',
      label: 'Impact',
      kind: 'select',
      required: true,
      initial: '2',
      options: [
        { value: '1', label: 'High' },
        { value: '2', label: 'Medium' },
        { value: '3', label: 'Low' },
      ],
    },
    { id: 'assignee', label: 'Assignee', kind: 'user', required: false },
    { id: 'affectedSystem', label: 'Affected system', kind: 'text', required: false },
  ],
};

const resolveForm: ChatForm = {
  formId: 'fault.resolve',
  title: 'Resolve INC-7',
  submitLabel: 'Resolve',
  context: 'INC-7',
  fields: [
    { id: 'rootCause', label: 'Root cause', kind: 'textarea', required: true },
    { id: 'resolutionSteps', label: 'Resolution steps', kind: 'textarea', required: true },
  ],
};

describe('shell adapter: commands and people', () => {
  it('turns a command line into a CommandEvent as the current person, and /as switches person', async () => {
    const shell = harness((event) =>
      event.type === 'command' && event.command === 'fault'
        ? { type: 'private', message: { fallback: 'You have no open faults.' } }
        : { type: 'done' },
    );
    const out = await shell.run('/fault list mine', '/as Li.Wei', '/whoami', '/ops help');

    expect(shell.events).toEqual([
      {
        type: 'command',
        actor: { platform: 'shell', userId: 'alice', displayName: 'alice' },
        command: 'fault',
        text: 'list mine',
        channelId: 'shell',
      },
      {
        type: 'command',
        actor: { platform: 'shell', userId: 'li.wei', displayName: 'Li.Wei' },
        command: 'ops',
        text: 'help',
        channelId: 'shell',
      },
    ]);
    expect(out).toContain('(only you) You have no open faults.');
    expect(out).toContain('You are now acting as Li.Wei.');
    expect(out).toContain('You are acting as Li.Wei.');
    expect(out).toContain('✓ Done');
  });

  it('prints its own help, a hint for stray text, and refuses bad names', async () => {
    const shell = harness();
    const out = await shell.run('', 'hello?', '/help', '/as', '/as li wei', '/cancel', '42');
    expect(shell.events).toEqual([]);
    expect(out).toContain("Commands start with / (try /help); type a button's number to click it.");
    expect(out).toContain('/as NAME');
    expect(out).toContain('/quit or /exit');
    expect(out).toContain('/ops help');
    expect(out).toContain('Write /as followed by a name, e.g. /as li.wei');
    expect(out).toContain('A name uses letters, digits, dots, dashes and underscores');
    expect(out).toContain('There is no form to cancel.');
    expect(out).toContain('There is no button [42].');
  });

  it('writes plain text without prompts or colours when the streams are not terminals', async () => {
    const shell = harness((event) => (event.type === 'command' ? { type: 'private', message: card } : { type: 'done' }));
    const out = await shell.run('/fault show INC-7');
    expect(out).not.toContain('\u001b[');
    expect(out).not.toContain('alice>');
    expect(out.split('\n')[0]).toContain('opsdesk shell: you are acting as alice.');
  });

  it('handles lines strictly in order, waiting for each event, and closes after the last one', async () => {
    const finished: string[] = [];
    const shell = harness(async (event) => {
      const name = event.type === 'command' ? event.text : '';
      await new Promise((resolve) => setTimeout(resolve, name === 'first' ? 40 : 5));
      finished.push(name);
      return { type: 'private', message: { fallback: `answer ${name}` } };
    });
    const out = await shell.run('/echo first', '/echo second', '/echo third');
    expect(finished).toEqual(['first', 'second', 'third']);
    expect(out.indexOf('answer first')).toBeLessThan(out.indexOf('answer second'));
    expect(out.indexOf('answer second')).toBeLessThan(out.indexOf('answer third'));
    expect(shell.closeCount()).toBe(1);
  });

  it('stops reading at /quit, says bye and calls onClose once', async () => {
    const shell = harness();
    const out = await shell.run('/ops help', '/quit', '/fault');
    expect(shell.events).toHaveLength(1);
    expect(out).toContain('Bye.');
    expect(shell.closeCount()).toBe(1);
  });

  it('shows a failing handler and keeps going', async () => {
    const shell = harness((_event, index) => {
      if (index === 0) throw new Error('database is locked');
      return { type: 'done' };
    });
    const out = await shell.run('/fault', '/ops help');
    expect(out).toContain('Something went wrong: database is locked');
    expect(shell.events).toHaveLength(2);
  });

  it('is ready once started, and stop() ends the session without onClose', async () => {
    const shell = harness();
    expect(shell.adapter.platform).toBe('shell');
    expect(shell.adapter.isReady()).toBe(false);
    await shell.adapter.start();
    expect(shell.adapter.isReady()).toBe(true);
    await shell.adapter.stop();
    expect(shell.adapter.isReady()).toBe(false);
    expect(shell.closeCount()).toBe(0);
  });

  it('speaks zh-CN when asked', async () => {
    const shell = harness(() => ({ type: 'done' }), { locale: 'zh-CN' });
    const out = await shell.run('/whoami', 'hello', '/ops help');
    expect(out).toContain('当前身份：alice。');
    expect(out).toContain('命令以 / 开头');
    expect(out).toContain('✓ 完成');
  });
});

describe('shell adapter: forms', () => {
  it('asks a form field by field, re-asks invalid answers, then submits the values', async () => {
    const shell = harness((event) => (event.type === 'command' ? { type: 'form', form: reportForm } : { type: 'done' }));
    const out = await shell.run(
      '/fault',
      '', // title is required
      'The mail server is unreachable', // longer than 20
      'Mail down',
      'since 09:00\\nfor everyone',
      '9', // not an option
      'network',
      '', // impact: keep the default
      '@Li.Wei',
      '', // optional, left empty
    );

    expect(shell.events).toHaveLength(2);
    expect(shell.events[1]).toEqual({
      type: 'formSubmit',
      actor: { platform: 'shell', userId: 'alice', displayName: 'alice' },
      formId: 'fault.report',
      context: 'ctx-1',
      values: {
        title: 'Mail down',
        description: 'since 09:00\nfor everyone',
        category: 'network',
        impact: '2',
        assignee: 'li.wei',
      },
      channelId: 'shell',
    });
    expect(out).toContain('Report a fault');
    expect(out).toContain('Title · required · at most 20 characters');
    expect(out).toContain('What is broken, in a few words');
    expect(out).toContain('Impact · required · default: Medium');
    expect(out).toContain('  1) High');
    expect(out).toContain('Affected system · optional');
    expect(out).toContain('✗ This field is required.');
    expect(out).toContain('✗ Too long: 30 characters, at most 20.');
    expect(out).toContain('✗ Choose 1-4, or type one of the options.');
    expect(out).toContain('→ Report');
    expect(out).toContain('✓ Done');
    // The errors come right after the answers they are about.
    expect(out.indexOf('This field is required')).toBeLessThan(out.indexOf('Description · required'));
    expect(out.indexOf('Choose 1-4')).toBeLessThan(out.indexOf('Impact · required'));
  });

  it('re-asks only the fields the bot rejected, keeping the other answers, and submits again', async () => {
    const shell = harness((event, index) => {
      if (event.type === 'button') return { type: 'form', form: resolveForm };
      if (index === 1) return { type: 'fieldErrors', errors: { rootCause: 'Say what caused it, in at least 10 characters.' } };
      return { type: 'private', message: { fallback: 'INC-7 resolved.' } };
    });
    await shell.adapter.start();
    await shell.adapter.deliverer.post({ platform: 'shell', kind: 'channel', id: 'faults' }, card);
    const out = await shell.run('2', 'dns', 'Restarted the resolver', 'Expired DNS cache entry');

    expect(shell.events.map((event) => event.type)).toEqual(['button', 'formSubmit', 'formSubmit']);
    const [, first, second] = shell.events;
    expect(first).toMatchObject({ values: { rootCause: 'dns', resolutionSteps: 'Restarted the resolver' } });
    expect(second).toMatchObject({
      formId: 'fault.resolve',
      context: 'INC-7',
      channelId: 'faults',
      values: { rootCause: 'Expired DNS cache entry', resolutionSteps: 'Restarted the resolver' },
    });
    expect(out).toContain('✗ Root cause: Say what caused it, in at least 10 characters.');
    expect(out.match(/Resolution steps · required/g)).toHaveLength(1);
    expect(out.match(/Root cause · required/g)).toHaveLength(2);
    expect(out).toContain('(only you) INC-7 resolved.');
  });

  it('/cancel stops a form without submitting, and the shell carries on', async () => {
    const shell = harness((event) => (event.type === 'command' && event.command === 'fault' ? { type: 'form', form: reportForm } : { type: 'done' }));
    const out = await shell.run('/fault', 'Mail down', '/cancel', '/ops help');
    expect(shell.events.map((event) => event.type)).toEqual(['command', 'command']);
    expect(out).toContain('Form cancelled; nothing was saved.');
  });

  it('an answer may start with a slash', async () => {
    const shell = harness((event) => (event.type === 'command' ? { type: 'form', form: resolveForm } : { type: 'done' }));
    await shell.run('/fault resolve INC-7', '/var/log was full', 'Rotated the logs');
    expect(shell.events[1]).toMatchObject({ values: { rootCause: '/var/log was full', resolutionSteps: 'Rotated the logs' } });
  });

  it('end of input in the middle of a form submits nothing and closes', async () => {
    const shell = harness((event) => (event.type === 'command' ? { type: 'form', form: resolveForm } : { type: 'done' }));
    await shell.run('/fault resolve INC-7', 'half an answer');
    expect(shell.events).toHaveLength(1);
    expect(shell.closeCount()).toBe(1);
  });
});

describe('shell adapter: deliveries and buttons', () => {
  it('prints a channel card with numbered buttons; typing a number clicks it as the current person', async () => {
    const shell = harness(() => ({ type: 'done' }));
    await shell.adapter.start();
    const ref = await shell.adapter.deliverer.post({ platform: 'shell', kind: 'channel', id: 'faults' }, card);
    expect(ref.channelId).toBe('faults');
    await shell.waitFor('[2] Resolve');
    const out = await shell.run('/as bob', '#2', '1');

    expect(out).toContain(
      [
        '── #faults ──',
        '🔴 INC-7 · P1 · Mail server unreachable',
        'Status: Reported',
        'Reporter: @alice',
        'Nobody can send mail.',
        'Reported 09:00 via chat',
        '[1] Acknowledge  [2] Resolve',
      ].join('\n'),
    );
    expect(shell.events).toEqual([
      {
        type: 'button',
        actor: { platform: 'shell', userId: 'bob', displayName: 'bob' },
        actionId: 'fault.resolve',
        value: 'INC-7',
        channelId: 'faults',
      },
      {
        type: 'button',
        actor: { platform: 'shell', userId: 'bob', displayName: 'bob' },
        actionId: 'fault.ack',
        value: 'INC-7',
        channelId: 'faults',
      },
    ]);
  });

  it('numbers buttons across the session, so that older messages stay clickable', async () => {
    const shell = harness((event) =>
      event.type === 'command' ? { type: 'private', message: { ...card, title: 'INC-8' } } : { type: 'done' },
    );
    await shell.adapter.start();
    await shell.adapter.deliverer.post({ platform: 'shell', kind: 'channel', id: 'faults' }, card);
    const out = await shell.run('/fault show INC-8', '1', '4');
    expect(out).toContain('(only you) INC-8');
    expect(out).toContain('[3] Acknowledge  [4] Resolve');
    expect(shell.events.slice(1)).toMatchObject([
      { type: 'button', actionId: 'fault.ack', value: 'INC-7', channelId: 'faults' },
      { type: 'button', actionId: 'fault.resolve', value: 'INC-7', channelId: 'shell' },
    ]);
  });

  it('prints direct messages and updates, and retires the buttons of a replaced card', async () => {
    const shell = harness();
    await shell.adapter.start();
    const { deliverer } = shell.adapter;
    const posted = await deliverer.post({ platform: 'shell', kind: 'channel', id: 'faults' }, card);
    const dm = await deliverer.post(
      { platform: 'shell', kind: 'dm', id: 'li.wei' },
      { fallback: 'Reminder', title: 'INC-7 needs a response in 5 min', buttons: [{ actionId: 'fault.ack', value: 'INC-7', label: 'Acknowledge' }] },
    );
    expect(dm.channelId).toBe('li.wei');
    expect(Number(dm.messageId)).toBeGreaterThan(Number(posted.messageId));

    await deliverer.update(posted, {
      ...card,
      title: '🟠 INC-7 · P1 · Mail server unreachable',
      fields: [{ label: 'Status', value: 'Acknowledged' }],
      context: ['Acknowledged by @bob at 09:14'],
      buttons: [{ actionId: 'fault.resolve', value: 'INC-7', label: 'Resolve' }],
    });
    await deliverer.update(dm, { fallback: 'Reminder', title: 'INC-7 was acknowledged by bob' });

    const out = await shell.run('1', '4', '3');
    expect(out).toContain('── DM to li.wei ──\nINC-7 needs a response in 5 min\n[3] Acknowledge');
    expect(out).toContain(
      '── #faults (updated) ──\n🟠 INC-7 · P1 · Mail server unreachable\nStatus: Acknowledged\nNobody can send mail.\nAcknowledged by @bob at 09:14\n[4] Resolve',
    );
    expect(out).toContain('── DM to li.wei (updated) ──\nINC-7 was acknowledged by bob');
    expect(out).toContain('Button [1] was on an earlier version of a message that has since been updated');
    expect(out).toContain('Button [3] was on an earlier version');
    expect(shell.events).toEqual([
      {
        type: 'button',
        actor: { platform: 'shell', userId: 'alice', displayName: 'alice' },
        actionId: 'fault.resolve',
        value: 'INC-7',
        channelId: 'faults',
      },
    ]);
  });

  it('refuses targets on other platforms as permanent failures', async () => {
    const shell = harness();
    await expect(
      shell.adapter.deliverer.post({ platform: 'slack', kind: 'channel', id: 'C1' }, card),
    ).rejects.toThrow(/cannot deliver to slack/);
  });
});

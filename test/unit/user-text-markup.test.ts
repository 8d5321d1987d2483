// Text people type must reach every platform as text: never a channel notification, a mention or a
// hidden link. Only the bot's own mention nodes may render as mentions.
import { describe, expect, it } from 'vitest';
import { mention } from '../../src/chat/format.js';
import { mentionNode, plainInput, renderText, textParts, PLAIN_TEXT } from '../../src/chat/markup.js';
import type { ChatMessage } from '../../src/chat/model.js';
import { neutraliseMarkdown, renderMessage as renderDiscord } from '../../src/platforms/discord/render.js';
import { renderMessage as renderShell } from '../../src/platforms/shell/render.js';
import { plainStyle } from '../../src/platforms/shell/style.js';
import { escapeMrkdwn, renderMessage as renderSlack } from '../../src/platforms/slack/render.js';
import { truncateMrkdwn } from '../../src/platforms/slack/truncate.js';
import { validateMessage as validateDiscord } from '../fakes/discord/index.js';
import { validateMessage as validateSlack } from '../fakes/slack/index.js';
import { discordLiveMarkup as discordMarkup, discordMarkdownTexts, slackLiveTokens, slackMrkdwn } from '../helpers/live-markup.js';

/** The field reports of issue 9, plus Discord's own forms of the same tricks. */
const HOSTILE = [
  '<!channel> please look',
  '<!here> <!everyone> <!subteam^S1>',
  'ask <@U123> or <#C999>',
  '<https://evil.example|click here>',
  '[click here](https://evil.example)',
  '# Official notice\n-# small print\n## more',
  '@everyone @here <@123456789012345678> <#987654321098765432> <@&555555555555555555>',
  'a \\[escaped\\](https://evil.example) & b > c < d',
];
const ALL = HOSTILE.join('\n');

/** A card with hostile text in every slot a user can fill, and the bot's own mention of two people. */
function hostileCard(slackId: string, discordId: string): ChatMessage {
  return {
    fallback: `INC-7 ${HOSTILE[0]}`,
    title: `🔴 INC-7 · P1 · ${HOSTILE[3]}`,
    body: ALL,
    fields: [
      { label: 'Reporter', value: mentionNode(slackId) },
      { label: 'Assignee', value: mentionNode(discordId) },
      { label: 'Root cause', value: HOSTILE[4] ?? '' },
      { label: 'Affected system', value: HOSTILE[6] ?? '' },
    ],
    context: [`Reported by ${mentionNode(slackId)}: ${HOSTILE[1]}`, HOSTILE[2] ?? ''],
    buttons: [{ actionId: 'fault.ack', value: 'INC-7', label: 'Acknowledge' }],
  };
}

describe('mention nodes', () => {
  it('are the only markup model text carries, and cannot be typed', () => {
    const typed = `\uE000U999\uE001 hi ${'<@U1>'}`;
    expect(textParts(plainInput(typed))).toEqual([{ kind: 'text', text: 'U999 hi <@U1>' }]);
    expect(textParts(`to ${mentionNode('U1')}.`)).toEqual([
      { kind: 'text', text: 'to ' },
      { kind: 'mention', userId: 'U1' },
      { kind: 'text', text: '.' },
    ]);
    // An id that is not an id cannot hide markup in a node.
    expect(mentionNode('U1><!channel')).toBe('U1><!channel');
    expect(renderText(`${mentionNode('li.wei')} and <b>`, PLAIN_TEXT)).toBe('@li.wei and <b>');
  });

  it('come from mention() for a person with an account on the platform, else the name as text', () => {
    const person = { displayName: '<!channel>', accounts: [{ platform: 'slack', userId: 'U5' }] };
    expect(renderText(mention(person, 'slack'), { text: escapeMrkdwn, mention: (id) => `<@${id}>` })).toBe('<@U5>');
    expect(renderText(mention(person, 'discord'), { text: escapeMrkdwn, mention: (id) => `<@${id}>` })).toBe('&lt;!channel&gt;');
  });

  it("carry the person's display name for surfaces without mentions, one line, never a delimiter", () => {
    const node = mention({ displayName: 'Li \uE001Wei\nthe second', accounts: [{ platform: 'discord', userId: '42' }] }, 'discord');
    expect(textParts(node)).toEqual([{ kind: 'mention', userId: '42', name: 'Li Wei the second' }]);
    expect(renderText(node, { text: (x) => x, mention: (id, name) => `${id}=${name ?? ''}` })).toBe('42=Li Wei the second');
    // A name typed into a node is text, like a typed node.
    expect(textParts(plainInput('\uE000U1\uE002boss\uE001'))).toEqual([{ kind: 'text', text: 'U1boss' }]);
    expect(mentionNode('not an id!', 'Li Wei')).toBe('Li Wei');
  });
});

describe('Slack renders user text harmlessly', () => {
  it('escapes & < > in every mrkdwn text, keeping the bot mentions live', () => {
    const payload = renderSlack(hostileCard('U0ANNA', 'U0LIWEI'));
    expect(validateSlack(payload)).toBeUndefined();
    const tokens = slackLiveTokens(payload);
    expect(new Set(tokens)).toEqual(new Set(['<@U0ANNA>', '<@U0LIWEI>']));
    const all = slackMrkdwn(payload).join('\n');
    expect(all).toContain('&lt;!channel&gt; please look');
    expect(all).toContain('&lt;https://evil.example|click here&gt;');
    expect(all).toContain('b &gt; c &lt; d');
    expect(all).toContain('&amp;');
    // The header is plain_text, which Slack never parses: it shows the title as typed.
    expect(JSON.stringify(payload.blocks[0])).toContain('<https://evil.example|click here>');
  });

  it('escapes exactly Slack\'s three characters, once', () => {
    expect(escapeMrkdwn('a & b <!here> *bold* _i_ &amp;')).toBe('a &amp; b &lt;!here&gt; *bold* _i_ &amp;amp;');
  });

  it('never cuts an escaped character in half', () => {
    const cut = truncateMrkdwn(escapeMrkdwn('x'.repeat(8) + '<<<<'), 14);
    expect(cut).toBe('xxxxxxxx&lt;…');
  });
});

describe('Discord renders user text harmlessly', () => {
  it('neutralises masked links, headings and mention syntax in embeds, keeping the bot mentions', () => {
    const payload = renderDiscord(hostileCard('111111111111111111', '222222222222222222'));
    expect(validateDiscord(payload)).toEqual([]);
    expect(payload.embeds).toHaveLength(1);
    expect(discordMarkdownTexts(payload).flatMap(discordMarkup)).toEqual(['<@111111111111111111>', '<@222222222222222222>']);
    expect(payload.allowed_mentions).toEqual({ parse: [] });
  });

  it('neutralises plain content too', () => {
    const payload = renderDiscord({ fallback: ALL, body: ALL });
    expect(payload.content).not.toBe('');
    expect(discordMarkup(payload.content)).toEqual([]);
  });

  it('escapes so that Discord shows the text as typed', () => {
    const shown = (text: string) => neutraliseMarkdown(text).replace(/\\([^A-Za-z0-9\s])/g, '$1');
    for (const text of HOSTILE) expect(shown(text)).toBe(text);
    expect(neutraliseMarkdown('**bold** and _italic_')).toBe('**bold** and _italic_');
  });

  it('neutralises headings inside quotes and list items, and every @everyone / @here', () => {
    for (const text of ['> # quoted heading', '>>> # big', '> -# sub', '- # x', '* # x', '1. # x', '  > - # nested']) {
      expect(neutraliseMarkdown(text)).toMatch(/\\-?#/);
    }
    for (const text of ['@everyones', '@here_x', '@everyone1', 'x@here']) expect(neutraliseMarkdown(text)).toContain('\\@');
    expect(neutraliseMarkdown('issue #4 and a # in the middle')).toBe('issue #4 and a # in the middle');
  });
});

describe('Slack mrkdwn is verbatim', () => {
  it('asks Slack not to auto-link @channel, #channels or URLs typed as plain text', () => {
    const payload = renderSlack({ fallback: 'x', title: 't', body: '@channel look at #general', fields: [{ label: 'a', value: '@here' }], context: ['@everyone'] });
    const texts = JSON.stringify(payload.blocks);
    expect(texts).not.toMatch(/"type":"mrkdwn","text":"[^"]*"(?!,"verbatim":true)/);
    expect(texts).toContain('"verbatim":true');
  });
});

describe('the shell', () => {
  it('shows text exactly as typed, and mentions as @name', () => {
    const lines = renderShell({ fallback: ALL, title: HOSTILE[3], body: ALL, fields: [{ label: 'Reporter', value: mentionNode('li.wei') }] }, [], plainStyle);
    expect(lines.join('\n')).toContain(ALL);
    expect(lines).toContain('Reporter: @li.wei');
  });
});

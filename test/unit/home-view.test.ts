import { describe, expect, it } from 'vitest';
import { validateMessage as validateDiscordMessage } from '../fakes/discord/validator.js';
import { validateHomeView, validateMessage as validateSlackMessage } from '../fakes/slack/block-validator.js';
import { translator, type Locale } from '../../src/chat/i18n/catalog.js';
import { byUrgency, type HomeOverview, type HomeRecord } from '../../src/home/queries.js';
import { homeTabSections, overviewMessage, type HomeViewContext } from '../../src/home/view.js';
import { renderMessage as renderDiscord } from '../../src/platforms/discord/render.js';
import { renderHomeView } from '../../src/platforms/slack/home.js';
import { renderMessage as renderSlack } from '../../src/platforms/slack/render.js';
import { Change } from '../../src/store/entities/index.js';

const NOW = new Date('2026-11-24T10:03:00Z');
const LONG = 'Database cluster failover rehearsal with a very long title that goes on and on '.repeat(3);

function change(id: number): Change {
  return Object.assign(new Change(), {
    id,
    title: `${LONG}${id}`,
    risk: 'high',
    state: 'submitted',
    requesterId: 1,
    implementerId: 1,
    windowStart: new Date('2026-11-26T20:00:00Z'),
    windowEnd: new Date('2026-11-26T22:00:00Z'),
    createdAt: new Date('2026-11-23T10:00:00Z'),
  });
}

function record(n: number, dueInMin: number | undefined): HomeRecord {
  return {
    kind: 'fault',
    id: `INC-${n}`,
    title: `${LONG}${n}`,
    stateKey: 'faults.state.reported',
    priority: 'P2',
    relation: n % 2 === 0 ? 'assigned' : 'reported',
    ...(dueInMin === undefined ? {} : { deadline: { kind: 'respond' as const, at: new Date(NOW.getTime() + dueInMin * 60_000) } }),
    paused: false,
    createdAt: new Date(NOW.getTime() - n * 60_000),
  };
}

function overview(approvals: number, records: number): HomeOverview {
  return {
    approvals: Array.from({ length: Math.min(approvals, 20) }, (_, i) => change(i + 1)),
    approvalTotal: approvals,
    records: Array.from({ length: Math.min(records, 20) }, (_, i) => record(i + 1, i * 7 - 10)),
    recordTotal: records,
    oncall: { levels: [] },
    management: { urgentFaults: [record(90, 5)], urgentTotal: 9, breachesToday: 3, staleChanges: [change(99)], staleTotal: 1 },
  };
}

function view(locale: Locale = 'en'): HomeViewContext {
  return { t: translator(locale), locale, platform: 'slack', timeZone: 'Europe/Berlin', now: NOW, people: new Map([[1, { displayName: 'rita', accounts: [{ platform: 'slack', userId: 'U0RITA' }] }]]) };
}

describe('the personal overview', () => {
  it('puts the most urgent first: a missed deadline, then the nearest, then records without one by priority', () => {
    const overdue = record(1, -5);
    const soon = record(2, 12);
    const none = { ...record(3, undefined), priority: 'P1' as const };
    const noneLow = { ...record(4, undefined), priority: 'P4' as const };
    expect([noneLow, soon, none, overdue].sort(byUrgency).map((r) => r.id)).toEqual(['INC-1', 'INC-2', 'INC-3', 'INC-4']);
  });

  it('shows the nearest deadline as the card does: "Respond by 11:15 (in 12 min)"', () => {
    const text = JSON.stringify(homeTabSections({ ...overview(0, 0), records: [record(1, 12), record(2, -5)], recordTotal: 2 }, view()));
    // 10:03 UTC is 11:03 in Berlin.
    expect(text).toContain('🟠 INC-1 · P2 · ');
    expect(text).toContain('— Reported · Respond by 11:15 (in 12 min) (you reported it)');
    expect(text).toContain('— Reported · ⚠ response overdue by 5 min (due 10:58) (assigned to you)');
  });

  it('keeps a Home tab with 40 approvals and 300 records within Slack\'s 100 blocks, valid, and says how many more there are', () => {
    const published = renderHomeView(homeTabSections(overview(40, 300), view()));
    expect(published.blocks.length).toBeLessThanOrEqual(100);
    expect(validateHomeView(published)).toBeUndefined();
    const text = JSON.stringify(published);
    expect(text).toContain('Waiting for your approval (40)');
    expect(text).toContain('and 25 more: /change list pending');
    expect(text).toMatch(/and \d+ more: \/fault list mine/);
    expect(text).toContain('Open P1/P2 faults: 9');
    expect(text).toContain('and 8 more: /fault list open');
  });

  it('folds the overview into one private message Slack and Discord accept, with Approve / Reject per change', () => {
    const message = overviewMessage(overview(40, 300), view());
    expect(message.buttons?.map((b) => b.label).slice(0, 4)).toEqual(['Approve · CHG-1', 'Reject · CHG-1', 'Approve · CHG-2', 'Reject · CHG-2']);
    // As many approvals as fit whole in the field (1000 characters, its "and N more" line included), each with its buttons.
    const approvals = message.fields?.[0]?.value ?? '';
    const shown = approvals.split('\n').filter((line) => line.startsWith('⏳')).length;
    expect(shown).toBe(4);
    expect(approvals).toContain('and 36 more: /change list pending');
    expect(message.buttons?.filter((b) => b.actionId === 'change.approve')).toHaveLength(shown);
    const slack = renderSlack(message);
    expect(validateSlackMessage({ text: slack.text, blocks: slack.blocks })).toBeUndefined();
    expect(validateDiscordMessage(renderDiscord(message))).toEqual([]);
  });

  it('speaks the reader\'s language', () => {
    const text = JSON.stringify(homeTabSections(overview(1, 1), view('zh-CN')));
    expect(text).toContain('我的概览');
    expect(text).toContain('待我批准（1）');
    expect(text).toContain('我报告的');
  });

  it('keeps whole lines and a true "and N more" when escaping lengthens titles (Slack entities, Discord backslashes)', () => {
    const marked = (n: number): HomeRecord => ({ ...record(n, 30 + n), title: `${'&<>[]'.repeat(18)}${n}` });
    const ov: HomeOverview = { ...overview(0, 0), records: Array.from({ length: 20 }, (_, i) => marked(i + 1)), recordTotal: 30, management: undefined };
    const wholeLines = (text: string) => text.split('\n').filter((line) => line.includes('INC-'));
    const isWhole = (line: string) => line.endsWith('(you reported it)') || line.endsWith('(assigned to you)');

    const discord = renderDiscord(overviewMessage(ov, { ...view(), platform: 'discord' }));
    expect(validateDiscordMessage(discord)).toEqual([]);
    const field = discord.embeds?.[0]?.fields?.find((f) => f.name === 'Your open records (30)');
    const lines = wholeLines(field?.value ?? '');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every(isWhole)).toBe(true);
    expect(field?.value).toContain(`and ${30 - lines.length} more: /fault list mine`);

    const home = renderHomeView(homeTabSections(ov, view()));
    expect(validateHomeView(home)).toBeUndefined();
    const sections = home.blocks.flatMap((b) => (b.type === 'section' && 'text' in b && b.text ? [b.text.text] : []));
    const shown = sections.flatMap(wholeLines);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every(isWhole)).toBe(true);
    expect(JSON.stringify(home)).toContain(`and ${30 - shown.length} more: /fault list mine`);

    const slack = renderSlack(overviewMessage(ov, view()));
    expect(validateSlackMessage({ text: slack.text, blocks: slack.blocks })).toBeUndefined();
    const slackFields = slack.blocks.flatMap((b) => (b.type === 'section' ? (b.fields ?? []).map((f) => f.text) : []));
    const slackRecords = slackFields.find((text) => text.includes('Your open records (30)')) ?? '';
    const slackLines = wholeLines(slackRecords);
    expect(slackLines.every(isWhole)).toBe(true);
    expect(slackRecords).toContain(`and ${30 - slackLines.length} more: /fault list mine`);
  });

  it('keeps the "and N more" line of approvals in `/ops me` when their text fills the field', () => {
    const marked = (id: number): Change => Object.assign(change(id), { title: `${'<&'.repeat(45)}` });
    const ov: HomeOverview = { ...overview(0, 0), approvals: Array.from({ length: 20 }, (_, i) => marked(i + 1)), approvalTotal: 12, management: undefined };
    const message = overviewMessage(ov, { ...view(), platform: 'discord' });
    const discord = renderDiscord(message);
    expect(validateDiscordMessage(discord)).toEqual([]);
    const field = discord.embeds?.[0]?.fields?.find((f) => f.name === 'Waiting for your approval (12)');
    const shown = (field?.value ?? '').split('\n').filter((line) => line.includes('CHG-')).length;
    expect(field?.value).toContain(`and ${12 - shown} more: /change list pending`);
    // Buttons only for the approvals the reader can see.
    expect(message.buttons?.filter((b) => b.actionId === 'change.approve')).toHaveLength(shown);
  });

  it('does not invent an end for a turn that runs to the schedule\'s horizon (a rotation of one)', () => {
    const segment = { personId: 1, start: new Date(NOW.getTime() - 3_600_000), end: new Date(NOW.getTime() + 14 * 86_400_000), overrideId: null };
    const open = JSON.stringify(homeTabSections({ ...overview(0, 0), oncall: { levels: [], myNext: { level: 'primary', segment, openEnded: true } } }, view()));
    expect(open).toContain('You are on call now as');
    expect(open).toContain('no hand-off planned');
    expect(open).not.toContain('2026-12-08');
    const ending = JSON.stringify(homeTabSections({ ...overview(0, 0), oncall: { levels: [], myNext: { level: 'primary', segment, openEnded: false } } }, view()));
    expect(ending).toContain('until Tue 2026-12-08 11:03');
  });

  it('dates the "As of" line, and promises updates only on the Home tab', () => {
    const [top] = homeTabSections(overview(0, 0), view());
    expect(top?.context).toEqual(['As of Tue 2026-11-24 11:03 (Europe/Berlin). Updated when your records, approvals or on-call turns change.']);
    expect(overviewMessage(overview(0, 0), view()).context).toEqual(['As of Tue 2026-11-24 11:03 (Europe/Berlin).']);
    expect(overviewMessage(overview(0, 0), view('zh-CN')).context?.[0]).toMatch(/^截至 周二 2026-11-24 11:03（Europe\/Berlin）。$/);
  });
});

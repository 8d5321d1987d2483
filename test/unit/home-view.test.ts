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
    expect(message.buttons?.filter((b) => b.actionId === 'change.approve')).toHaveLength(5);
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
});

import { describe, expect, it } from 'vitest';
import { AnswersFirst } from '../../src/http/answers-first.js';

describe('AnswersFirst', () => {
  it('shares one wait for the server between everything waiting, and lets all go when it is idle', async () => {
    let asked = 0;
    let resume: () => void = () => undefined;
    const gate = new AnswersFirst({ unanswered: 2, answered: () => (asked++, new Promise<void>((resolve) => (resume = resolve))) }, 60_000);
    let through = 0;
    const turns = [gate.turn(performance.now()), gate.turn(performance.now())].map((t) => t.then(() => through++));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(through).toBe(0);
    expect(asked).toBe(1);
    resume();
    await Promise.all(turns);
    expect(through).toBe(2);
  });

  it('lets work through at once once it has waited its bound since it became due', async () => {
    const gate = new AnswersFirst({ unanswered: 1, answered: () => new Promise<void>(() => undefined) }, 1_000);
    const started = performance.now();
    await gate.turn(performance.now() - 5_000);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses a negative bound', () => {
    expect(() => new AnswersFirst({ unanswered: 0, answered: async () => undefined }, -1)).toThrow('must not be negative');
  });
});

// Requesting a change (policy 4.2): checked, saved, sent to the eligible approvers (or pre-approved
// when standard), and announced.
import type { ChangeDesk } from './desk.js';
import { SYSTEM } from '../people/actor.js';
import { requestProblems, type ChangeRequest } from './request-input.js';
import { approvalRequirement } from './rules.js';
import type { ChangeScheduling } from './scheduling.js';
import { resolveChangeItems } from '../cis/linking.js';
import { linkRecord } from '../cis/records.js';
import { FieldErrors } from '../errors.js';
import type { Actor } from '../people/actor.js';
import { Change } from '../store/entities/index.js';

export class ChangeRequesting {
  constructor(
    private readonly desk: ChangeDesk,
    private readonly scheduling: ChangeScheduling,
  ) {}

  async request(actor: Actor, input: ChangeRequest): Promise<Change> {
    const { clock, records, announcer } = this.desk;
    const problems = requestProblems(input, clock.now());
    if (Object.keys(problems).length > 0) throw new FieldErrors(problems);
    const setup = await this.desk.setup();
    const requirement = approvalRequirement(input.type, input.risk, setup.policy.counts);
    const change = await this.desk.store.transaction(async (manager) => {
      const items = await resolveChangeItems(manager, input.configItems);
      if ('refusal' in items) throw new FieldErrors({ configItems: { key: `cis.refused.${items.refusal.code}`, params: items.refusal.params } });
      const now = clock.now();
      const change = await manager.save(
        Change,
        manager.create(Change, {
          title: input.title,
          content: input.content,
          reason: input.reason,
          expectedImpact: input.expectedImpact,
          risk: input.risk,
          type: input.type,
          testPlan: input.testPlan ?? null,
          rollbackPlan: input.rollbackPlan ?? null,
          windowStart: input.window.start,
          windowEnd: input.window.end,
          configItems: input.configItems.join(', '),
          state: 'submitted',
          approvalsRequired: requirement.approvals,
          managerRequired: requirement.managerRequired ? 1 : 0,
          requesterId: actor.personId,
          requesterPlatform: actor.platform,
          implementerId: actor.personId,
          decidedAt: null,
          startedAt: null,
          endedAt: null,
          outcomeNote: null,
          reviewedBy: null,
          reviewedAt: null,
          reviewNote: null,
          createdAt: now,
          updatedAt: now,
        }),
      );
      await records.record(manager, actor, change, 'submitted', null, null, null);
      await linkRecord(manager, 'change', change.id, items.ids);
      if (input.type === 'standard') {
        await this.scheduling.conclude(manager, change, SYSTEM, setup, 'standard');
      } else {
        for (const personId of await records.eligibleApprovers(manager, change)) await records.addNotice(manager, change.id, personId, 'approval');
      }
      await announcer.notify(manager, change, { kind: 'submitted' }, setup);
      return change;
    });
    this.desk.deliver();
    return change;
  }

  async get(id: number): Promise<Change> {
    return this.desk.records.load(this.desk.store.manager, id);
  }
}

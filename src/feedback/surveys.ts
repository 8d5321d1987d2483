import { IsNull, type EntityManager } from 'typeorm';
import { surveyMessage } from './cards.js';
import { recipientOf, type FeedbackOptions } from './delivery.js';
import { formatRecordId, surveyOpen, tally, countsOf, type Period, type Rating, type SurveyRecordType, type Tally } from './rules.js';
import type { FeedbackSettings } from './settings.js';
import { appendAudit } from '../audit/chain.js';
import { formatTime } from '../chat/format.js';
import { translator } from '../chat/i18n/catalog.js';
import type { Clock } from '../clock.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { enqueue } from '../outbox/outbox.js';
import type { Actor } from '../people/actor.js';
import { FeedbackSurvey } from '../store/entities/index.js';
import type { Store } from '../store/store.js';
import { SYSTEM } from '../people/actor.js';

const DAY_MS = 86_400_000;
const CLOSE_BATCH = 200;
export const COMMENT_MAX = 1000;

/** What a resolving capability tells the survey service, inside its own resolve transaction. */
export interface SurveyRequest {
  recordType: SurveyRecordType;
  recordId: number;
  title: string;
  /** Who reported the record and is asked. */
  respondentId: number;
  /** Who resolved it; the rating counts for them. */
  resolverId: number | null;
  /** The platform the respondent used for the record, so that the DM reaches them there. */
  platform: string;
  now: Date;
}

/** The one call the fault service (and later the request service) makes when a record is resolved. */
/**
 * The survey about a record that was just resolved: `respondent` (who raised it) is asked about
 * `resolverId`, or about the record's assignee when opsdesk itself closed it (resolverId null).
 */
export function surveyAbout(
  recordType: SurveyRecordType,
  record: { id: number; title: string; assigneeId: number | null },
  respondent: { id: number; platform: string },
  resolverId: number | null,
  now: Date,
): SurveyRequest {
  return { recordType, recordId: record.id, title: record.title, respondentId: respondent.id, resolverId: resolverId ?? record.assigneeId, platform: respondent.platform, now };
}

export interface SurveyOpener {
  open(manager: EntityManager, request: SurveyRequest): Promise<FeedbackSurvey | undefined>;
}

export interface EngineerScore extends Tally {
  resolverId: number;
}

export function surveyKey(surveyId: number): string {
  return `survey:${surveyId}`;
}

/** Satisfaction surveys after resolved records (policy 5.3): sent once, rated 1-5, closed after N days. */
export class SurveyService implements SurveyOpener {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: FeedbackSettings,
    private readonly options: FeedbackOptions,
  ) {}

  /**
   * Opens the survey of a resolved record and queues its DM, in the caller's transaction. Once per
   * record: a reopened and re-resolved record keeps its first survey (the unique index on
   * (record_type, record_id) holds this across processes too). Nobody is asked about their own record.
   */
  async open(manager: EntityManager, request: SurveyRequest): Promise<FeedbackSurvey | undefined> {
    if (request.resolverId === request.respondentId) return undefined;
    const existing = await manager.findOne(FeedbackSurvey, { where: { recordType: request.recordType, recordId: request.recordId } });
    if (existing) return undefined;
    const days = await this.settings.surveyDays();
    const survey = await manager.save(
      FeedbackSurvey,
      manager.create(FeedbackSurvey, {
        recordType: request.recordType,
        recordId: request.recordId,
        recordTitle: request.title.slice(0, 150),
        respondentId: request.respondentId,
        resolverId: request.resolverId,
        platform: request.platform,
        rating: null,
        comment: null,
        createdAt: request.now,
        closesAt: new Date(request.now.getTime() + days * DAY_MS),
        ratedAt: null,
        closedAt: null,
      }),
    );
    await appendAudit(manager, request.now, {
      actor: SYSTEM,
      action: 'feedback.survey.sent',
      recordType: 'feedback_survey',
      recordId: formatRecordId(survey.recordType, survey.recordId),
      before: null,
      after: { respondentId: survey.respondentId, resolverId: survey.resolverId, closesAt: survey.closesAt.toISOString() },
    });
    await this.sendDm(manager, survey, request.now);
    return survey;
  }

  /** The respondent's own survey, for opening the comment form. */
  async mine(actor: Actor, surveyId: number): Promise<FeedbackSurvey> {
    const survey = await this.load(this.store.manager, surveyId);
    this.authorise(actor, survey);
    this.requireOpen(survey, this.clock.now());
    return survey;
  }

  /** Sets or changes the rating while the survey is open; `first` tells whether it is the first one. */
  async rate(actor: Actor, surveyId: number, rating: Rating): Promise<{ survey: FeedbackSurvey; first: boolean }> {
    const result = await this.change(actor, surveyId, 'feedback.survey.rated', (survey, now) => ({ rating, ratedAt: survey.ratedAt ?? now }));
    return { survey: result.survey, first: result.before.rating === null };
  }

  async comment(actor: Actor, surveyId: number, comment: string): Promise<FeedbackSurvey> {
    return (await this.change(actor, surveyId, 'feedback.survey.commented', () => ({ comment: comment.slice(0, COMMENT_MAX) }))).survey;
  }

  /** Closes surveys whose time is up and edits their DMs to say so; returns how many. */
  async closeDue(now: Date): Promise<number> {
    const due = await this.store.manager
      .createQueryBuilder(FeedbackSurvey, 's')
      .where('s.closed_at IS NULL AND s.closes_at <= :now', { now: now.toISOString() })
      .orderBy('s.id', 'ASC')
      .take(CLOSE_BATCH)
      .getMany();
    let closed = 0;
    for (const candidate of due) {
      const done = await this.store.transaction(async (manager) => {
        const result = await manager.update(FeedbackSurvey, { id: candidate.id, closedAt: IsNull() }, { closedAt: now });
        if (result.affected !== 1) return false;
        const survey = await this.load(manager, candidate.id);
        await this.sendDm(manager, survey, now);
        return true;
      });
      if (done) closed++;
    }
    if (closed > 0) this.options.onOutbox?.();
    return closed;
  }

  /** Ratings per resolving engineer for records resolved in the period (for KPIs, policy 5.2). */
  async engineerScores(period: Period): Promise<EngineerScore[]> {
    const rated = await this.ratedIn(period);
    const byEngineer = new Map<number, number[]>();
    for (const survey of rated) {
      if (survey.resolverId === null || survey.rating === null) continue;
      byEngineer.set(survey.resolverId, [...(byEngineer.get(survey.resolverId) ?? []), survey.rating]);
    }
    return [...byEngineer.entries()]
      .map(([resolverId, ratings]) => ({ resolverId, ...tally(countsOf(ratings)) }))
      .sort((a, b) => a.resolverId - b.resolverId);
  }

  /** Surveys sent for records resolved in the period (answered or not). */
  async sentIn(period: Period): Promise<FeedbackSurvey[]> {
    return this.store.manager
      .createQueryBuilder(FeedbackSurvey, 's')
      .where('s.created_at >= :from AND s.created_at < :to', { from: period.from.toISOString(), to: period.to.toISOString() })
      .orderBy('s.id', 'ASC')
      .getMany();
  }

  private async ratedIn(period: Period): Promise<FeedbackSurvey[]> {
    return (await this.sentIn(period)).filter((s) => s.rating !== null);
  }

  private async change(
    actor: Actor,
    surveyId: number,
    action: string,
    changes: (survey: FeedbackSurvey, now: Date) => Partial<Pick<FeedbackSurvey, 'rating' | 'ratedAt' | 'comment'>>,
  ): Promise<{ survey: FeedbackSurvey; before: { rating: number | null; comment: string | null } }> {
    const result = await this.store.transaction(async (manager) => {
      const survey = await this.load(manager, surveyId);
      this.authorise(actor, survey);
      const now = this.clock.now();
      this.requireOpen(survey, now);
      const before = { rating: survey.rating, comment: survey.comment };
      const change = changes(survey, now);
      const updated = await manager.update(FeedbackSurvey, { id: survey.id, closedAt: IsNull() }, change);
      if (updated.affected !== 1) throw this.closedError(survey);
      Object.assign(survey, change);
      await appendAudit(manager, now, {
        actor,
        action,
        recordType: 'feedback_survey',
        recordId: formatRecordId(survey.recordType, survey.recordId),
        before,
        after: { rating: survey.rating, comment: survey.comment },
      });
      await this.sendDm(manager, survey, now);
      return { survey, before };
    });
    this.options.onOutbox?.();
    return result;
  }

  private async load(manager: EntityManager, surveyId: number): Promise<FeedbackSurvey> {
    const survey = await manager.findOne(FeedbackSurvey, { where: { id: surveyId } });
    if (!survey) throw new NotFoundError('feedback.error.surveyNotFound');
    return survey;
  }

  private authorise(actor: Actor, survey: FeedbackSurvey): void {
    if (survey.respondentId !== actor.personId) throw new ForbiddenError('feedback.error.notYourSurvey', { id: formatRecordId(survey.recordType, survey.recordId) });
  }

  private requireOpen(survey: FeedbackSurvey, now: Date): void {
    if (!surveyOpen(survey, now)) throw this.closedError(survey);
  }

  private closedError(survey: FeedbackSurvey): ConflictError {
    return new ConflictError('feedback.error.surveyClosed', {
      id: formatRecordId(survey.recordType, survey.recordId),
      time: formatTime(survey.closedAt ?? survey.closesAt, this.options.timeZone),
    });
  }

  /** Queues the survey DM; keyed, so that every later version edits the first one in place. */
  private async sendDm(manager: EntityManager, survey: FeedbackSurvey, now: Date): Promise<void> {
    const recipient = await recipientOf(manager, survey.respondentId, survey.platform, this.options.defaultLocale);
    if (!recipient) return;
    const message = surveyMessage(survey, now, { t: translator(recipient.locale), platform: recipient.target.platform, timeZone: this.options.timeZone });
    await enqueue(manager, now, [{ target: recipient.target, key: surveyKey(survey.id), message }]);
  }
}

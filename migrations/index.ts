import { Initial1764201600000 } from './1764201600000-Initial.js';
import { Changes1764288000000 } from './1764288000000-Changes.js';
import { Feedback1764374400000 } from './1764374400000-Feedback.js';
import { LinkCodes1764460800000 } from './1764460800000-LinkCodes.js';
import { DiscordFormDrafts1764464400000 } from './1764464400000-DiscordFormDrafts.js';
import { SlaOnCall1764547200000 } from './1764547200000-SlaOnCall.js';
import { ServiceRequests1764633600000 } from './1764633600000-ServiceRequests.js';
import { RecordEvents1764720000000 } from './1764720000000-RecordEvents.js';
import { PollSecretOutOfDatabase1764763200000 } from './1764763200000-PollSecretOutOfDatabase.js';
import { OutboxRecord1764766800000 } from './1764766800000-OutboxRecord.js';
import { Monitoring1764806400000 } from './1764806400000-Monitoring.js';
import { ConfigurationItems1764892800000 } from './1764892800000-ConfigurationItems.js';
import { AppHome1764979200000 } from './1764979200000-AppHome.js';
import { OutboxClaims1765152000000 } from './1765152000000-OutboxClaims.js';
import { ReportIndexes1765238400000 } from './1765238400000-ReportIndexes.js';
import { SearchTimelineNotes1765324800000 } from './1765324800000-SearchTimelineNotes.js';
import { ReportEventIndex1765411200000 } from './1765411200000-ReportEventIndex.js';
import { AlertCardRedraw1765497600000 } from './1765497600000-AlertCardRedraw.js';
import { OutboxMessageKeyIndex1765615215000 } from './1765615215000-OutboxMessageKeyIndex.js';

/** Every migration, oldest first; the DataSource runs them at start-up. */
export const MIGRATIONS = [Initial1764201600000, Changes1764288000000, Feedback1764374400000, LinkCodes1764460800000, DiscordFormDrafts1764464400000, SlaOnCall1764547200000, ServiceRequests1764633600000, RecordEvents1764720000000, PollSecretOutOfDatabase1764763200000, OutboxRecord1764766800000, Monitoring1764806400000, ConfigurationItems1764892800000, AppHome1764979200000, OutboxClaims1765152000000, ReportIndexes1765238400000, SearchTimelineNotes1765324800000, ReportEventIndex1765411200000, AlertCardRedraw1765497600000, OutboxMessageKeyIndex1765615215000];

// The audit report message (policy 5.1): the findings of a period, each with its record and a
// one-line reason, and the audit chain's status with its head as an anchor for later verification.
import type { ChainVerdict } from '../audit/chain.js';
import { formatAnchor } from '../audit/chain.js';
import { countKey, type Translate } from '../chat/i18n/catalog.js';
import type { ChatMessage } from '../chat/model.js';
import type { Finding } from './findings.js';

/** Findings listed in the message; the rest are counted (Slack section text max 3000, PLATFORM-FACTS.md). */
export const MAX_FINDINGS_SHOWN = 25;

function reason(finding: Finding, t: Translate): string {
  const d = finding.details;
  switch (finding.kind) {
    case 'change_unapproved':
      return t(d.how === 'refused' ? 'reports.finding.changeUnapprovedRefused' : 'reports.finding.changeUnapproved');
    case 'change_outside_window':
      return t(d.how === 'refused' ? 'reports.finding.changeOutsideWindowRefused' : 'reports.finding.changeOutsideWindow');
    case 'emergency_unreviewed':
      return t('reports.finding.emergencyUnreviewed');
    case 'no_root_cause':
      return t('reports.finding.noRootCause');
    case 'sla_breach':
      return t(d.target === 'response' ? 'reports.finding.responseBreach' : 'reports.finding.resolveBreach', { priority: d.priority ?? '' });
    case 'overdue':
      return t('reports.finding.overdue');
    case 'request_unconfirmed':
      return t('reports.finding.requestUnconfirmed');
    case 'role_change':
      return t(d.action === 'grant' ? 'reports.finding.roleGrant' : 'reports.finding.roleRevoke', { role: d.role ?? '', by: d.by ?? '' });
  }
}

/** A finding's record as shown: role changes are about a person (by name when known), the rest about a record id. */
function refOf(finding: Finding, t: Translate): string {
  if (finding.kind !== 'role_change') return finding.ref;
  return finding.details.person ?? t('reports.finding.person', { id: finding.ref });
}

/** The audit report for `periodLabel`; `verdict` is the chain as verified just now. */
export function auditReportMessage(findings: readonly Finding[], verdict: ChainVerdict, periodLabel: string, t: Translate): ChatMessage {
  const title = t('reports.audit.title', { period: periodLabel });
  const lines = findings.slice(0, MAX_FINDINGS_SHOWN).map((f) => t('reports.audit.line', { ref: refOf(f, t), reason: reason(f, t) }));
  if (findings.length > MAX_FINDINGS_SHOWN) lines.push(t('reports.audit.more', { count: findings.length - MAX_FINDINGS_SHOWN }));
  const chain = verdict.ok ? t(countKey('reports.audit.chainOk', verdict.entries), { entries: verdict.entries }) : t(countKey('reports.audit.chainBroken', verdict.entries), { id: verdict.brokenAt, entries: verdict.entries });
  return {
    fallback: `${title}: ${t(countKey('reports.audit.count', findings.length), { count: findings.length })}`,
    title,
    color: !verdict.ok ? 'red' : findings.length > 0 ? 'orange' : 'green',
    body: lines.length > 0 ? lines.join('\n') : t('reports.audit.none'),
    fields: [
      { label: t('reports.audit.findings'), value: String(findings.length) },
      { label: t('reports.audit.chain'), value: chain },
    ],
    // A broken chain's head is no anchor: it would vouch for entries already known to be wrong.
    context: [verdict.ok ? t('reports.audit.anchor', { anchor: formatAnchor(verdict.entries, verdict.head) }) : t('reports.audit.noAnchor', { id: verdict.brokenAt })],
  };
}

// The operations report's alerts section (issue #13 item 2, "alerts once monitoring exists"): alert
// volume, alert faults, alerts that cleared before anyone acted, each against the previous period,
// and the noisiest alert names. The figures are those of `/ops report alerts` (src/monitoring/report.ts).
import { countKey, type Translate } from '../chat/i18n/catalog.js';
import type { ChatField } from '../chat/model.js';
import type { AlertFigures } from '../monitoring/report.js';
import { delta } from './delta.js';

/** Names listed as the noisiest, each cut to NAME_SHOWN characters: the field stays far below Discord's 1024. */
const NOISIEST_SHOWN = 3;
const NAME_SHOWN = 60;

export interface AlertsInput {
  current: AlertFigures;
  previous: AlertFigures;
}

/** The section as one report field. */
export function alertsField(alerts: AlertsInput, t: Translate): ChatField {
  const { current: c, previous: p } = alerts;
  const label = t('reports.alerts.label');
  if (c.alerts === 0 && c.faults === 0 && p.alerts === 0 && p.faults === 0) return { label, value: t('reports.alerts.none') };
  const noisiest = c.noisiest.slice(0, NOISIEST_SHOWN).map((row) => `${row.name.slice(0, NAME_SHOWN)} ${row.count}`);
  const lines = [
    t('reports.alerts.volume', {
      alerts: t(countKey('reports.alerts.alertCount', c.alerts), { count: c.alerts }),
      alertsDelta: delta(c.alerts, p.alerts),
      firings: t(countKey('reports.alerts.firingCount', c.firings), { count: c.firings }),
      firingsDelta: delta(c.firings, p.firings),
    }),
    t('reports.alerts.faults', { faults: c.faults, faultsDelta: delta(c.faults, p.faults) }),
    t('reports.alerts.cleared', { cleared: c.clearedUnattended, clearedDelta: delta(c.clearedUnattended, p.clearedUnattended) }),
  ];
  if (noisiest.length > 0) lines.push(t('reports.alerts.noisiest', { names: noisiest.join(' · ') }));
  return { label, value: lines.join('\n') };
}

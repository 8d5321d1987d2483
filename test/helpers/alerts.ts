// Webhook bodies in the shapes Alertmanager (v4) and Grafana unified alerting (v1) send
// (PLATFORM-FACTS.md, Alert webhooks), for intake and HTTP tests.

export interface AlertSpec {
  name: string;
  fingerprint?: string;
  status?: 'firing' | 'resolved';
  severity?: string;
  instance?: string;
  startsAt?: string;
  endsAt?: string;
  summary?: string;
}

const ZERO = '0001-01-01T00:00:00Z';

export function amAlert(a: AlertSpec): Record<string, unknown> & { status: string } {
  const status = a.status ?? 'firing';
  return {
    status,
    labels: { alertname: a.name, ...(a.severity ? { severity: a.severity } : {}), instance: a.instance ?? 'db1:9100', job: 'node' },
    annotations: { summary: a.summary ?? `${a.name} on ${a.instance ?? 'db1:9100'}` },
    startsAt: a.startsAt ?? '2026-11-23T08:59:00.123456789Z',
    endsAt: status === 'resolved' ? (a.endsAt ?? '2026-11-23T09:05:00.5+01:00') : ZERO,
    generatorURL: 'http://prometheus:9090/graph?g0.expr=up+%3D%3D+0',
    ...(a.fingerprint ? { fingerprint: a.fingerprint } : {}),
  };
}

export function amBody(groupKey: string, alerts: AlertSpec[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const list = alerts.map(amAlert);
  return {
    receiver: 'web\\.hook',
    status: list.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts: list,
    groupLabels: { alertname: alerts[0]?.name ?? 'x' },
    commonLabels: { alertname: alerts[0]?.name ?? 'x', job: 'node' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey,
    truncatedAlerts: 0,
    ...extra,
  };
}

export function grafanaBody(groupKey: string, alerts: (AlertSpec & { values?: Record<string, number> | null; valueString?: string })[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const list = alerts.map((a) => ({
    ...amAlert(a),
    silenceURL: 'https://grafana.example/alerting/silence/new',
    dashboardURL: '',
    panelURL: '',
    values: a.values === undefined ? { B: 92.5, C: 1 } : a.values,
    valueString: a.valueString ?? '',
    imageURL: '',
    ruleUID: 'abc123',
    orgId: 1,
    enrichments: { items: [] },
  }));
  const firing = list.some((a) => a.status === 'firing');
  return {
    receiver: 'opsdesk',
    status: firing ? 'firing' : 'resolved',
    orgId: 1,
    alerts: list,
    groupLabels: { alertname: alerts[0]?.name ?? 'x' },
    commonLabels: { alertname: alerts[0]?.name ?? 'x' },
    commonAnnotations: {},
    externalURL: 'https://grafana.example/',
    version: '1',
    groupKey,
    truncatedAlerts: 0,
    title: `[${firing ? 'FIRING' : 'RESOLVED'}:${list.length}] ${alerts[0]?.name ?? ''}`,
    state: firing ? 'alerting' : 'ok',
    message: 'Value: B=92.5',
    appVersion: '11.2.0',
    ...extra,
  };
}

/** Bodies with NUL and lone surrogates in labels, label names, groupKey and a generic summary (defect: 500 on PostgreSQL). */
export function dirtyBodies(): { alertmanager: Record<string, unknown>; generic: Record<string, unknown> } {
  const am = amBody('{}:{alertname="Nul\u0000"}', [{ name: 'Nul\u0000Down', fingerprint: 'a0000000000000a1', instance: 'db\ud800:9100' }]);
  const alert = (am.alerts as Record<string, unknown>[])[0] as { labels: Record<string, string> };
  alert.labels['bad\u0000name'] = 'v\udc00';
  return {
    alertmanager: am,
    generic: { source: 'nagios', key: 'k\u0000ey', status: 'firing', summary: 'Disk\u0000 full \ud83d', description: 'x\u0000y' },
  };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's prometheus-alertmanager (0.25), which .ci/run installs when missing. */
export const ALERTMANAGER_BIN = '/usr/bin/prometheus-alertmanager';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface AlertmanagerOptions {
  /** Where the webhook receiver posts (the bot's /hooks/alertmanager). */
  webhookUrl: string;
  /** Sent as `Authorization: Bearer TOKEN` through http_config.authorization. */
  token: string;
  groupWait?: string;
  groupInterval?: string;
  /** The webhook's max_alerts: alerts beyond it are left out of each notification (0, the default: all). */
  maxAlerts?: number;
}

/**
 * A real Alertmanager on loopback with a temporary storage path, clustering off, and one webhook
 * receiver grouping by alertname, with short group_wait and group_interval so that tests are quick.
 */
export class AlertmanagerProcess {
  log = '';
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on('data', (c: Buffer) => (this.log += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (this.log += c.toString()));
  }

  static async start(options: AlertmanagerOptions): Promise<AlertmanagerProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'opsdesk-am-'));
    const config = [
      'route:',
      '  receiver: opsdesk',
      "  group_by: ['alertname']",
      `  group_wait: ${options.groupWait ?? '1s'}`,
      `  group_interval: ${options.groupInterval ?? '2s'}`,
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: opsdesk',
      '    webhook_configs:',
      `      - url: ${JSON.stringify(options.webhookUrl)}`,
      '        send_resolved: true',
      `        max_alerts: ${options.maxAlerts ?? 0}`,
      '        http_config:',
      '          authorization:',
      `            credentials: ${JSON.stringify(options.token)}`,
      '',
    ].join('\n');
    writeFileSync(join(dir, 'alertmanager.yml'), config);
    const port = await freePort();
    const child = spawn(
      ALERTMANAGER_BIN,
      [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const am = new AlertmanagerProcess(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        if ((await fetch(`${am.url}/-/ready`)).ok) return am;
      } catch {
        // not listening yet
      }
      if (child.exitCode !== null) throw new Error(`alertmanager exited: ${am.log}`);
      if (Date.now() > deadline) throw new Error(`alertmanager not ready: ${am.log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** POST /api/v2/alerts: a JSON array of {labels, annotations, startsAt, endsAt, generatorURL}. */
  async post(alerts: { labels: Record<string, string>; annotations?: Record<string, string>; startsAt?: string; endsAt?: string }[]): Promise<void> {
    const res = await fetch(`${this.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
    if (!res.ok) throw new Error(`alertmanager refused alerts: ${res.status} ${await res.text()}`);
  }

  /** A counter from Alertmanager's own /metrics, summed over the label sets that match `labels`. */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    let sum = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith(name)) continue;
      const m = /^([a-z_]+)(\{[^}]*\})?\s+(\S+)$/.exec(line);
      if (!m || m[1] !== name) continue;
      if (Object.entries(labels).every(([k, v]) => (m[2] ?? '').includes(`${k}="${v}"`))) sum += Number(m[3]);
    }
    return sum;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}

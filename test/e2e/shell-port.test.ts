import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BotProcess } from '../helpers/bot-process.js';
import { tempSqliteUrl } from '../helpers/db.js';
import { HOOK_TOKEN } from '../helpers/hooks.js';

async function busyPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '0.0.0.0', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

describe('npm start in the terminal with a busy PORT', () => {
  let bot: BotProcess | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await bot?.kill();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
  });

  it('refuses to start with a clear error when the monitoring webhooks need the port', async () => {
    const busy = await busyPort();
    server = busy.server;
    bot = new BotProcess({ DATABASE_URL: tempSqliteUrl('opsdesk-port-'), PORT: String(busy.port), ADMIN_USERS: 'shell:admin', WEBHOOK_TOKEN: HOOK_TOKEN });
    await bot.waitForLog(new RegExp(`opsdesk failed to start: the HTTP server cannot listen on PORT ${busy.port}`));
    // It exits by itself after saying so (a SIGTERM sent now would race the exit and hide its code).
    expect(await bot.waitForExit()).toBe(1);
    expect(bot.stdout).not.toMatch(/opsdesk shell/);
  });

  it('still starts for a tryout without webhooks, warning that the HTTP server did not start', async () => {
    const busy = await busyPort();
    server = busy.server;
    bot = new BotProcess({ DATABASE_URL: tempSqliteUrl('opsdesk-port-'), PORT: String(busy.port), ADMIN_USERS: 'shell:admin' });
    await bot.waitForOutput(/opsdesk shell/);
    await bot.waitForLog(/http server not started/);
  });
});

// Prints the Slack app manifest as JSON: `npm run manifest` (PUBLIC_URL=https://ops.example.org),
// add `--socket-mode` for an app that connects over Socket Mode. Paste it at api.slack.com/apps.
import { COMMANDS } from '../../../commands/index.js';
import { buildSlackManifest } from './manifest.js';

const publicUrl = process.env.PUBLIC_URL?.trim();
const manifest = buildSlackManifest(COMMANDS, {
  ...(publicUrl ? { publicUrl } : {}),
  socketMode: process.argv.includes('--socket-mode'),
});
process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);

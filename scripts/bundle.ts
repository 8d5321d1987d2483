// `npm run build` (and so `prepare`): after tsc has compiled the sources to dist/, bundles
// dist/src/main.js with the packages it loads into dist/bundle/, which `npm start` runs.
//
// Why: start-up was spent loading about 2,100 JavaScript files one by one (typeorm, discord.js,
// undici, Bolt, zod and our own 370), resolving each path, reading it and, for every CommonJS package
// imported from our ES modules, lexing its re-exports a second time. One file per chunk cuts the CPU to
// ready with both adapters on by about 40 % (2.6-2.9 s to 1.5-1.8 s); idle memory stays about the
// same (bench/results.md). The bundle starts from tsc's output, not from the TypeScript, so decorators and
// everything else keep tsc's semantics.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Packages left to node_modules: native add-ons (better-sqlite3, resvg), TypeORM's drivers for other
 * databases (loaded by name only when configured; pg is one), optional accelerators of ws and
 * discord.js that may be absent, and pino, whose transports start worker threads from its own files.
 */
const EXTERNAL = [
  'better-sqlite3',
  '@resvg/resvg-js',
  'pg',
  'pg-native',
  'pg-query-stream',
  'mysql',
  'mysql2',
  'oracledb',
  'sqlite3',
  'sql.js',
  'mssql',
  'mongodb',
  '@sap/hana-client',
  '@sap/hana-client/extension/Stream',
  'hdb-pool',
  'redis',
  'ioredis',
  'typeorm-aurora-data-api-driver',
  'react-native-sqlite-storage',
  '@google-cloud/spanner',
  '@capacitor-community/sqlite',
  'zlib-sync',
  'bufferutil',
  'utf-8-validate',
  'pino',
  'thread-stream',
];

// Chunk names carry a content hash: chunks of an earlier build would pile up.
rmSync('dist/bundle', { recursive: true, force: true });
await build({
  entryPoints: ['dist/src/main.js'],
  outdir: 'dist/bundle',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Lazy imports (a platform's SDK, the report chart) stay lazy: each becomes a chunk of its own.
  splitting: true,
  // TypeORM names tables, columns and migrations after class names; bundling must not rename them.
  keepNames: true,
  external: EXTERNAL,
  // CommonJS code in the bundle calls require() (built-ins, the external packages): ES modules have
  // none, so each chunk gets one relative to itself.
  banner: { js: "import { createRequire as __opsdeskCreateRequire } from 'node:module'; const require = __opsdeskCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

/**
 * Rewrites every non-ASCII character left in the chunks as a `\uXXXX` escape (UTF-16 code units).
 * esbuild already escapes them in code (its default ASCII charset) but keeps comments as written, and
 * a single `→` or `µ` in a comment makes V8 hold the whole chunk's source as a two-byte string:
 * twice the memory, about 5 MB of an idle bot's heap with the shell alone and more with the platform
 * SDKs (bench/results.md). In a comment the escape is plain text; in a string, template or regular
 * expression it denotes the same code unit, so nothing changes meaning.
 */
function asciiOnly(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.js')) continue;
    const file = join(dir, name);
    const text = readFileSync(file, 'utf8');
    // eslint-disable-next-line no-control-regex -- the class is "anything outside ASCII"
    const ascii = text.replace(/[^\x00-\x7f]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
    if (ascii !== text) writeFileSync(file, ascii);
  }
}
asciiOnly('dist/bundle');


// Runs bench/slack-load.ts `fire` on its own thread (slack-load.ts, fireInWorker): the fake Slack
// lives on the bench's main thread, and the bot's card edits and DMs reaching it there would
// otherwise hold up the client's reading of answers, adding the fake's work to the bot's latency.
import { parentPort, workerData } from 'node:worker_threads';
import { fire } from './slack-load.js';

interface Job {
  url: string;
  secret: string;
  bodies: string[];
  concurrency: number;
}

const job = workerData as Job;
parentPort?.postMessage(await fire(job.url, job.secret, job.bodies, job.concurrency));

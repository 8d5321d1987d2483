// Slack's file upload flow (files.upload is retired; PLATFORM-FACTS.md): files.getUploadURLExternal
// {filename, length}, the bytes POSTed to the returned upload_url, then files.completeUploadExternal
// shares the file in the channel with a comment. The web client's filesUploadV2 reads the whole file
// into memory first; these steps stream it instead, so a large export never sits in memory.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import type { KnownBlock, WebClient } from '@slack/web-api';
import type { ChatAttachment } from '../../chat/model.js';
import { attachmentSize, openAttachment } from '../../outbox/spool.js';
import { PermanentDeliveryError } from '../port.js';
import { SLACK_LIMITS } from './limits.js';

/** How long the upload of the bytes may take before it counts as failed and is retried (ms). */
const UPLOAD_TIMEOUT_MS = 5 * 60_000;

/** POSTs `size` bytes from the attachment to `url` as one body with its Content-Length; throws on non-2xx. */
async function postBytes(url: URL, attachment: ChatAttachment, size: number): Promise<void> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const req = send(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) }, timeout: UPLOAD_TIMEOUT_MS });
  req.on('timeout', () => req.destroy(new Error('slack: upload timed out')));
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  await pipeline(openAttachment(attachment), req);
  const res = await answered;
  res.resume();
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) throw new Error(`slack: upload_url answered HTTP ${status}`);
}

/** What the share of an uploaded file carries: a plain comment, or a card's Block Kit blocks. */
export type UploadShare = { comment: string } | { blocks: KnownBlock[] };

/**
 * Uploads the attachment and shares it in `channel` with the share's comment or blocks; returns the file's id. Throws
 * PermanentDeliveryError when the file is larger than Slack takes (SLACK_LIMITS.fileBytes) or its
 * spooled copy is gone; Web API errors as the client throws them.
 */
export async function uploadFile(client: WebClient, channel: string, attachment: ChatAttachment, share: UploadShare): Promise<string> {
  const size = await attachmentSize(attachment);
  if (size > SLACK_LIMITS.fileBytes) throw new PermanentDeliveryError(`slack: ${attachment.name} is ${size} bytes, more than Slack takes`);
  const got = await client.files.getUploadURLExternal({ filename: attachment.name, length: size });
  if (!got.upload_url || !got.file_id) throw new Error('slack: files.getUploadURLExternal returned no upload_url');
  await postBytes(new URL(got.upload_url), attachment, size);
  await client.files.completeUploadExternal({
    files: [{ id: got.file_id, title: attachment.title ?? attachment.name }],
    channel_id: channel,
    ...('blocks' in share ? { blocks: share.blocks } : { initial_comment: share.comment }),
  });
  return got.file_id;
}

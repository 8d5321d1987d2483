// A stand-in for Slack's Web API that only counts: files.getUploadURLExternal hands out an upload URL,
// the upload is read and thrown away chunk by chunk, files.completeUploadExternal says ok. The bench
// measures the bot's memory, so the receiving end must not keep the file (the test fake does).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class UploadSink {
  bytes = 0;
  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  /** Where the Web API methods are (the SDK appends their names). */
  get apiUrl(): string {
    return `${this.baseUrl}api/`;
  }

  static async start(): Promise<UploadSink> {
    let sink: UploadSink | undefined;
    const server = createServer((req, res) => {
      const answer = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      req.on('data', (chunk: Buffer) => {
        if (req.url?.startsWith('/upload/') && sink) sink.bytes += chunk.length;
      });
      req.on('end', () => {
        if (req.url?.startsWith('/api/files.getUploadURLExternal')) answer({ ok: true, upload_url: `${sink?.baseUrl ?? ''}upload/F1`, file_id: 'F1' });
        else if (req.url?.startsWith('/api/conversations.open')) answer({ ok: true, channel: { id: 'D1' } });
        else if (req.url?.startsWith('/api/files.completeUploadExternal')) answer({ ok: true, files: [{ id: 'F1' }] });
        else answer({ ok: true });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sink = new UploadSink(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return sink;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

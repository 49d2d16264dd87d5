/**
 * A real SMTP server for tests (the `smtp-server` package), on 127.0.0.1: plain SMTP, no TLS (STARTTLS disabled),
 * authentication optional. Every accepted message is parsed with mailparser's `simpleParser` and kept in
 * `messages`, with its envelope and raw bytes beside it, before the server answers 250 — so once a client's
 * send has resolved, the message is already here.
 *
 * Failure modes for the transports' tests: `rejectNext(code, text)` answers the next RCPT TO (or the end of the
 * next DATA) with that reply, `stop()` closes the listener and every open connection, `restart()` listens on
 * the same port again.
 */
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface StartSmtpServerOptions {
  /** Port on 127.0.0.1; 0 / undefined picks a free one (kept across restarts). */
  port?: number;
}

/** What the client said in MAIL FROM / RCPT TO for one message. */
export interface SmtpEnvelope {
  mailFrom: string;
  rcptTo: string[];
}

/** Where a scripted rejection is answered: at the recipient (typical for 550 unknown mailbox) or after DATA. */
export type RejectAt = 'rcpt' | 'data';

export interface TestSmtpServer {
  readonly host: '127.0.0.1';
  /** The port (the same after `restart()`). */
  readonly port: number;
  /** Accepted messages, parsed, in arrival order. */
  readonly messages: ParsedMail[];
  /** Envelope of each accepted message (same index as `messages`). */
  readonly envelopes: SmtpEnvelope[];
  /** Raw bytes of each accepted message (same index as `messages`). */
  readonly raw: Buffer[];
  /** Queue id given in the 250 reply to each accepted message ("Message queued as <id>"). */
  readonly queueIds: string[];
  /** Whether the server is listening. */
  readonly running: boolean;
  /** Resolves with `messages` once at least `n` have arrived; rejects after `timeoutMs` (default 5 s). */
  waitFor(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /** Answer the next RCPT TO (default) or the next DATA with `code message`, e.g. (450, 'Mailbox busy'). */
  rejectNext(code: number, message: string, at?: RejectAt): void;
  /** Stop listening and close open connections. */
  stop(): Promise<void>;
  /** Listen again on the same port (stops first when running). */
  restart(): Promise<void>;
}

/** Start a test SMTP server; stop it in `afterAll`. */
export async function startSmtpServer(opts: StartSmtpServerOptions = {}): Promise<TestSmtpServer> {
  const messages: ParsedMail[] = [];
  const envelopes: SmtpEnvelope[] = [];
  const raw: Buffer[] = [];
  const queueIds: string[] = [];
  const rejections: { code: number; message: string; at: RejectAt }[] = [];
  const waiters = new Set<() => void>();
  let server: SMTPServer | null = null;
  let port = opts.port ?? 0;

  const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });
  const takeRejection = (at: RejectAt) => (rejections[0]?.at === at ? rejections.shift()! : null);

  const create = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      hideSTARTTLS: true,
      logger: false,
      banner: 'ExportDesk test SMTP server',
      // stop() should not wait the default 30 s for clients that keep a connection open.
      closeTimeout: 100,
      onRcptTo(_address, _session, callback) {
        const r = takeRejection('rcpt');
        callback(r ? smtpError(r.code, r.message) : null);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', (e) => callback(e));
        stream.on('end', () => {
          const r = takeRejection('data');
          if (r) return callback(smtpError(r.code, r.message));
          const bytes = Buffer.concat(chunks);
          simpleParser(bytes).then(
            (mail) => {
              const queueId = randomBytes(6).toString('hex').toUpperCase();
              messages.push(mail);
              raw.push(bytes);
              queueIds.push(queueId);
              envelopes.push({
                mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                rcptTo: session.envelope.rcptTo.map((a) => a.address),
              });
              for (const w of [...waiters]) w();
              callback(null, `Message queued as ${queueId}`);
            },
            (e: Error) => callback(smtpError(554, `Could not parse the message: ${e.message}`)),
          );
        });
      },
    });

  const listen = async () => {
    const s = create();
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        s.server.off('error', reject);
        resolve();
      });
    });
    // Errors on a listening server (a client resetting its socket) are not test failures.
    s.on('error', () => undefined);
    port = (s.server.address() as AddressInfo).port;
    server = s;
  };

  const stop = async () => {
    const s = server;
    if (!s) return;
    server = null;
    await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen();

  return {
    host: '127.0.0.1',
    get port() {
      return port;
    },
    messages,
    envelopes,
    raw,
    queueIds,
    get running() {
      return server !== null;
    },
    waitFor(n, timeoutMs = 5_000) {
      if (messages.length >= n) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(messages);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`SMTP server: expected ${n} message(s) within ${timeoutMs} ms, got ${messages.length}`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    rejectNext(code, message, at = 'rcpt') {
      if (!(code >= 400 && code < 600)) throw new Error(`rejectNext: ${code} is not an SMTP error reply (4xx or 5xx)`);
      rejections.push({ code, message, at });
    },
    stop,
    async restart() {
      await stop();
      await listen();
    },
  };
}

/**
 * A small libSQL server speaking Hrana v2 over HTTP (`POST /v2/pipeline`, JSON encoding), backed by a real
 * libSQL database file through the `libsql` native binding. Test-only: lets `@libsql/client/web` (and later a
 * Worker running in workerd via Miniflare's `outboundService`) talk to a real database without sqld/Turso.
 *
 * Protocol notes (taken from @libsql/hrana-client 0.10 / @libsql/client 0.18, which is the spec that matters):
 * - `@libsql/client` opens the Hrana HTTP client with protocol version 2 and does NOT probe `/v3*` at all; it
 *   POSTs straight to `<url>/v2/pipeline`. We still answer `GET /v2` (200) and 404 for `/v3`, `/v3-protobuf`.
 * - Every stream request of one pipeline gets its own `{type:"ok"|"error"}` result; a failing request does not
 *   abort the rest of the pipeline. Batches report per-step `step_results` / `step_errors` (null when skipped).
 * - JS numbers are always sent as `{type:"float"}` (even 5), bigint as `{type:"integer", value:"5"}` and
 *   booleans as integer 0/1. Like sqld we bind floats as REAL; column affinity does the rest.
 * - Stream-level failures (unknown/expired baton) are HTTP 500 with a JSON `{message, code}` body; the client
 *   only reads it as a Hrana error if the content-type is exactly `application/json`.
 *
 * Concurrency: one libSQL connection per stream (baton). A global async write lock serialises writers: a
 * stream acquires it before a statement that may write or that opens a transaction, and keeps it until its
 * connection is back in autocommit mode (COMMIT/ROLLBACK/END), the stream is closed, or it idles for
 * `idleTimeoutMs` (its transaction is rolled back). Waiters queue without blocking the event loop. Reads in
 * autocommit mode never take the lock (WAL mode lets them run next to a writer).
 */
import http from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Database from 'libsql';

export interface HranaServerOptions {
  dbPath: string;
  authToken?: string;
  /** Port to listen on (127.0.0.1); 0 / undefined picks a free port. */
  port?: number;
  /** Idle time after which a stream is closed (and its open transaction rolled back). Default 10 000 ms. */
  idleTimeoutMs?: number;
}

export interface HranaServer {
  /** e.g. `http://127.0.0.1:41234` — pass as `url` to `createClient` from `@libsql/client/web`. */
  url: string;
  port: number;
  close(): Promise<void>;
  /** Number of `/v2/pipeline` requests handled (after auth). Live value. */
  readonly requests: number;
}

// ---------------------------------------------------------------------------------------------------------
// Hrana JSON protocol types (only what we read/write)

type ProtoValue =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string };

interface ProtoStmt {
  sql?: string | null;
  sql_id?: number | null;
  args?: ProtoValue[];
  named_args?: { name: string; value: ProtoValue }[];
  want_rows?: boolean;
}

type ProtoCond =
  | { type: 'ok'; step: number }
  | { type: 'error'; step: number }
  | { type: 'not'; cond: ProtoCond }
  | { type: 'and'; conds: ProtoCond[] }
  | { type: 'or'; conds: ProtoCond[] }
  | { type: 'is_autocommit' };

interface ProtoBatch {
  steps: { condition?: ProtoCond | null; stmt: ProtoStmt }[];
}

type StreamRequest =
  | { type: 'close' }
  | { type: 'execute'; stmt: ProtoStmt }
  | { type: 'batch'; batch: ProtoBatch }
  | { type: 'sequence'; sql?: string | null; sql_id?: number | null }
  | { type: 'describe'; sql?: string | null; sql_id?: number | null }
  | { type: 'store_sql'; sql_id: number; sql: string }
  | { type: 'close_sql'; sql_id: number }
  | { type: 'get_autocommit' };

interface ProtoError {
  message: string;
  code: string;
}

interface StmtResult {
  cols: { name: string | null; decltype: string | null }[];
  rows: ProtoValue[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
  rows_read: number;
  rows_written: number;
}

type StreamResult = { type: 'ok'; response: Record<string, unknown> & { type: string } } | { type: 'error'; error: ProtoError };

class HranaError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Global async write lock

interface Waiter {
  stream: Stream;
  resolve: () => void;
  reject: (e: Error) => void;
}

class WriteLock {
  holder: Stream | null = null;
  private queue: Waiter[] = [];

  acquire(stream: Stream): Promise<void> {
    if (this.holder === stream) return Promise.resolve();
    if (this.holder === null) {
      this.holder = stream;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => this.queue.push({ stream, resolve, reject }));
  }

  release(stream: Stream): void {
    if (this.holder !== stream) return;
    this.holder = null;
    const next = this.queue.shift();
    if (next) {
      this.holder = next.stream;
      next.resolve();
    }
  }

  rejectAll(e: Error): void {
    const waiters = this.queue;
    this.queue = [];
    for (const w of waiters) w.reject(e);
  }
}

// ---------------------------------------------------------------------------------------------------------
// SQL classification

function firstKeywords(sql: string): string[] {
  // Skip whitespace and comments, then return the first few words upper-cased.
  let i = 0;
  const n = sql.length;
  for (;;) {
    while (i < n && /\s|;/.test(sql[i]!)) i++;
    if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else break;
  }
  return sql
    .slice(i, i + 200)
    .split(/[^A-Za-z_]+/)
    .filter(Boolean)
    .slice(0, 4)
    .map((w) => w.toUpperCase());
}

/** Conservative: true when the statement may write or opens a transaction (so it needs the write lock). */
function needsWriteLock(sql: string): boolean {
  const words = firstKeywords(sql);
  const kw = words[0];
  if (kw === undefined) return false;
  switch (kw) {
    case 'SELECT':
    case 'VALUES':
    case 'EXPLAIN':
    case 'COMMIT':
    case 'END':
    case 'ROLLBACK':
    case 'RELEASE':
      return false;
    case 'BEGIN':
      // libSQL's `BEGIN TRANSACTION READONLY` (client.transaction('read')) never writes.
      return !words.includes('READONLY');
    default:
      // INSERT/UPDATE/DELETE/REPLACE/CREATE/DROP/ALTER/WITH/PRAGMA/SAVEPOINT/VACUUM/... — assume a write.
      return true;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Values

type SqlValue = null | bigint | number | string | Buffer;

function valueFromProto(v: ProtoValue | undefined): SqlValue {
  if (v === undefined || v === null || typeof v !== 'object') throw new HranaError('Invalid value', 'ARGS_INVALID');
  switch (v.type) {
    case 'null':
      return null;
    case 'integer':
      try {
        return BigInt(String(v.value));
      } catch {
        throw new HranaError(`Invalid integer value ${JSON.stringify(v.value)}`, 'ARGS_INVALID');
      }
    case 'float':
      return Number(v.value);
    case 'text':
      return String(v.value);
    case 'blob':
      return Buffer.from(v.base64 ?? '', 'base64');
    default:
      throw new HranaError(`Unknown value type ${JSON.stringify((v as { type: unknown }).type)}`, 'ARGS_INVALID');
  }
}

function valueToProto(v: unknown): ProtoValue {
  if (v === null || v === undefined) return { type: 'null' };
  if (typeof v === 'bigint') return { type: 'integer', value: v.toString() };
  if (typeof v === 'number') {
    // safeIntegers(true) returns INTEGER columns as bigint, so a plain number is always a REAL.
    return { type: 'float', value: v };
  }
  if (typeof v === 'string') return { type: 'text', value: v };
  if (v instanceof Uint8Array) return { type: 'blob', base64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (typeof v === 'boolean') return { type: 'integer', value: v ? '1' : '0' };
  return { type: 'text', value: String(v) };
}

function errorToProto(e: unknown): ProtoError {
  if (e instanceof HranaError) return { message: e.message, code: e.code };
  const err = e as { code?: unknown; message?: unknown };
  const message = typeof err?.message === 'string' ? err.message : String(e);
  if (typeof err?.code === 'string' && err.code.startsWith('SQLITE_')) {
    // libsql reports extended codes (SQLITE_CONSTRAINT_UNIQUE); sqld reports the primary one.
    const primary = err.code.split('_').slice(0, 2).join('_');
    return { message: `SQLite error: ${message}`, code: primary };
  }
  return { message, code: 'UNKNOWN' };
}

// ---------------------------------------------------------------------------------------------------------
// Streams

type Db = InstanceType<typeof Database>;

class Stream {
  readonly id: string;
  baton: string | null = null;
  db: Db | null = null;
  sqls = new Map<number, string>();
  closed = false;
  busy = false;
  idleTimer: NodeJS.Timeout | null = null;
  private statsStmt: ReturnType<Db['prepare']> | null = null;
  private totalStmt: ReturnType<Db['prepare']> | null = null;

  constructor(
    private readonly server: ServerState,
  ) {
    this.id = randomBytes(9).toString('base64url');
  }

  newBaton(): string {
    this.baton = `${this.id}.${randomBytes(9).toString('base64url')}`;
    return this.baton;
  }

  getDb(): Db {
    if (this.closed) throw new HranaError('The stream is closed', 'STREAM_CLOSED');
    if (this.db === null) {
      const db = new Database(this.server.dbPath);
      db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.db = db;
    }
    return this.db;
  }

  get inTransaction(): boolean {
    return this.db !== null && this.db.inTransaction;
  }

  resolveSql(sql: string | null | undefined, sqlId: number | null | undefined): string {
    if (sql != null && sqlId != null) throw new HranaError('Both `sql` and `sql_id` given', 'PROTO_ERROR');
    if (sql != null) return sql;
    if (sqlId != null) {
      const stored = this.sqls.get(sqlId);
      if (stored === undefined) throw new HranaError(`SQL text with id ${sqlId} not found`, 'SQL_NOT_FOUND');
      return stored;
    }
    throw new HranaError('Neither `sql` nor `sql_id` given', 'PROTO_ERROR');
  }

  /** Acquire the global write lock if `need` and not already held. */
  async lockIf(need: boolean): Promise<void> {
    if (need && this.server.lock.holder !== this) await this.server.lock.acquire(this);
  }

  /** Release the write lock when the connection is back in autocommit mode. */
  maybeRelease(): void {
    if (this.server.lock.holder === this && !this.inTransaction) this.server.lock.release(this);
  }

  executeStmt(stmt: ProtoStmt): StmtResult {
    const db = this.getDb();
    const sql = this.resolveSql(stmt.sql, stmt.sql_id);
    const args = stmt.args ?? [];
    const named = stmt.named_args ?? [];
    if (args.length > 0 && named.length > 0) {
      throw new HranaError('Specifying both positional and named arguments is not supported', 'ARGS_BOTH_POSITIONAL_AND_NAMED');
    }
    let params: SqlValue[] | Record<string, SqlValue>;
    if (named.length > 0) {
      const obj: Record<string, SqlValue> = {};
      // libsql binds object keys without the :/@/$ prefix; clients may send either form.
      for (const a of named) obj[a.name.replace(/^[:@$]/, '')] = valueFromProto(a.value);
      params = obj;
    } else {
      params = args.map(valueFromProto);
    }
    const wantRows = stmt.want_rows ?? true;

    const prepared = db.prepare(sql);
    prepared.safeIntegers(true);
    const before = this.totalChanges(db);
    let cols: StmtResult['cols'] = [];
    let rows: ProtoValue[][] = [];
    if (prepared.reader) {
      cols = prepared.columns().map((c) => ({ name: c.name, decltype: c.type }));
      prepared.raw(true);
      const raw = prepared.all(params) as unknown[][];
      if (wantRows) rows = raw.map((r) => r.map(valueToProto));
    } else {
      prepared.run(params);
    }
    const [changes, total, lastRowid] = this.stats(db);
    const affected = total !== before ? Number(changes) : 0;
    return {
      cols,
      rows,
      affected_row_count: affected,
      last_insert_rowid: lastRowid.toString(),
      rows_read: 0,
      rows_written: affected,
    };
  }

  private totalChanges(db: Db): bigint {
    this.totalStmt ??= db.prepare('SELECT total_changes()').raw(true).safeIntegers(true);
    const row = this.totalStmt.get([]) as [bigint];
    return row[0];
  }

  private stats(db: Db): [bigint, bigint, bigint] {
    this.statsStmt ??= db.prepare('SELECT changes(), total_changes(), last_insert_rowid()').raw(true).safeIntegers(true);
    return this.statsStmt.get([]) as [bigint, bigint, bigint];
  }

  executeBatch(batch: ProtoBatch): { step_results: (StmtResult | null)[]; step_errors: (ProtoError | null)[] } {
    const steps = batch.steps ?? [];
    const stepResults: (StmtResult | null)[] = [];
    const stepErrors: (ProtoError | null)[] = [];
    const evalCond = (c: ProtoCond, current: number): boolean => {
      switch (c.type) {
        case 'ok':
          return c.step < current && stepResults[c.step] != null;
        case 'error':
          return c.step < current && stepErrors[c.step] != null;
        case 'not':
          return !evalCond(c.cond, current);
        case 'and':
          return c.conds.every((x) => evalCond(x, current));
        case 'or':
          return c.conds.some((x) => evalCond(x, current));
        case 'is_autocommit':
          return !this.inTransaction;
        default:
          throw new HranaError(`Unknown batch condition ${JSON.stringify((c as { type: unknown }).type)}`, 'PROTO_ERROR');
      }
    };
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      stepResults.push(null);
      stepErrors.push(null);
      if (step.condition != null && !evalCond(step.condition, i)) continue;
      try {
        stepResults[i] = this.executeStmt(step.stmt);
      } catch (e) {
        stepErrors[i] = errorToProto(e);
      }
    }
    return { step_results: stepResults, step_errors: stepErrors };
  }

  describe(sql: string): Record<string, unknown> {
    const db = this.getDb();
    const prepared = db.prepare(sql);
    const cols = prepared.reader ? prepared.columns().map((c) => ({ name: c.name, decltype: c.type })) : [];
    const params: { name: string | null }[] = [];
    // libsql does not expose parameter metadata; report what a quick scan of the SQL finds.
    const seen = new Set<string>();
    for (const m of sql.matchAll(/(\?\d*)|([:@$][A-Za-z_][A-Za-z0-9_]*)/g)) {
      // Like sqlite3_bind_parameter_name: `?NNN` and `:name` are named, a bare `?` is not.
      const name = m[2] ?? (m[1] !== '?' ? (m[1] ?? null) : null);
      if (name !== null) {
        if (seen.has(name)) continue;
        seen.add(name);
      }
      params.push({ name });
    }
    return {
      params,
      cols,
      is_explain: firstKeywords(sql)[0] === 'EXPLAIN',
      is_readonly: !needsWriteLock(sql),
    };
  }

  /** Close the connection (rolling back any open transaction) and release the lock. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.server.streams.delete(this.id);
    if (this.db !== null) {
      try {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
      } catch {
        // ignore
      }
      try {
        this.db.close();
      } catch {
        // ignore
      }
      this.db = null;
    }
    this.statsStmt = null;
    this.totalStmt = null;
    this.server.lock.release(this);
  }

  touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.close(), this.server.idleTimeoutMs);
    this.idleTimer.unref();
  }

  async handle(req: StreamRequest): Promise<StreamResult> {
    try {
      if (this.closed) throw new HranaError('The stream is closed', 'STREAM_CLOSED');
      switch (req.type) {
        case 'close':
          this.close();
          return ok({ type: 'close' });
        case 'execute': {
          const sql = this.resolveSql(req.stmt?.sql, req.stmt?.sql_id);
          await this.lockIf(needsWriteLock(sql));
          try {
            return ok({ type: 'execute', result: this.executeStmt(req.stmt) });
          } finally {
            this.maybeRelease();
          }
        }
        case 'batch': {
          const steps = req.batch?.steps ?? [];
          let need = false;
          for (const s of steps) {
            let sql: string;
            try {
              sql = this.resolveSql(s.stmt?.sql, s.stmt?.sql_id);
            } catch {
              continue; // reported as a step error
            }
            if (needsWriteLock(sql)) need = true;
          }
          await this.lockIf(need);
          try {
            return ok({ type: 'batch', result: this.executeBatch(req.batch) });
          } finally {
            this.maybeRelease();
          }
        }
        case 'sequence': {
          const sql = this.resolveSql(req.sql, req.sql_id);
          await this.lockIf(true);
          try {
            this.getDb().exec(sql);
            return ok({ type: 'sequence' });
          } finally {
            this.maybeRelease();
          }
        }
        case 'describe':
          return ok({ type: 'describe', result: this.describe(this.resolveSql(req.sql, req.sql_id)) });
        case 'store_sql':
          if (this.sqls.has(req.sql_id)) throw new HranaError(`SQL text with id ${req.sql_id} already exists`, 'PROTO_ERROR');
          this.sqls.set(req.sql_id, String(req.sql));
          return ok({ type: 'store_sql' });
        case 'close_sql':
          this.sqls.delete(req.sql_id);
          return ok({ type: 'close_sql' });
        case 'get_autocommit':
          return ok({ type: 'get_autocommit', is_autocommit: !this.inTransaction });
        default:
          throw new HranaError(`Unknown request type ${JSON.stringify((req as { type: unknown }).type)}`, 'PROTO_ERROR');
      }
    } catch (e) {
      return { type: 'error', error: errorToProto(e) };
    }
  }
}

function ok(response: Record<string, unknown> & { type: string }): StreamResult {
  return { type: 'ok', response };
}

const BUSY_TIMEOUT_MS = 50;

interface ServerState {
  dbPath: string;
  idleTimeoutMs: number;
  lock: WriteLock;
  streams: Map<string, Stream>;
}

// ---------------------------------------------------------------------------------------------------------
// HTTP

function send(res: http.ServerResponse, status: number, contentType: string, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  // Exactly `application/json`: the client compares the header verbatim when decoding error bodies.
  send(res, status, 'application/json', JSON.stringify(body));
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startHranaServer(opts: HranaServerOptions): Promise<HranaServer> {
  const state: ServerState = {
    dbPath: opts.dbPath,
    idleTimeoutMs: opts.idleTimeoutMs ?? 10_000,
    lock: new WriteLock(),
    streams: new Map(),
  };

  // Create the file and switch it to WAL once (persistent), so readers never block on the writer.
  {
    const boot = new Database(opts.dbPath);
    boot.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    boot.pragma('journal_mode = WAL');
    boot.close();
  }

  let requests = 0;
  let closing = false;
  const expectedAuth = opts.authToken !== undefined ? Buffer.from(`Bearer ${opts.authToken}`) : null;

  const authorized = (req: http.IncomingMessage): boolean => {
    if (expectedAuth === null) return true;
    const got = Buffer.from(req.headers.authorization ?? '');
    return got.length === expectedAuth.length && timingSafeEqual(got, expectedAuth);
  };

  async function handlePipeline(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body: { baton?: string | null; requests?: StreamRequest[] };
    try {
      body = JSON.parse(await readBody(req));
      if (body === null || typeof body !== 'object' || !Array.isArray(body.requests)) throw new Error('`requests` must be an array');
    } catch (e) {
      send(res, 400, 'text/plain', `Could not deserialize JSON request body: ${(e as Error).message}`);
      return;
    }
    requests++;

    let stream: Stream;
    if (body.baton == null) {
      stream = new Stream(state);
      state.streams.set(stream.id, stream);
    } else {
      const id = String(body.baton).split('.')[0] ?? '';
      const found = state.streams.get(id);
      if (found === undefined || found.closed) {
        sendJson(res, 500, { message: 'The stream has expired due to inactivity', code: 'STREAM_EXPIRED' });
        return;
      }
      if (found.busy || found.baton !== body.baton) {
        sendJson(res, 500, { message: 'The baton is invalid or was already used', code: 'BATON_INVALID' });
        return;
      }
      stream = found;
    }

    stream.busy = true;
    if (stream.idleTimer) clearTimeout(stream.idleTimer);
    stream.idleTimer = null;
    const results: StreamResult[] = [];
    try {
      for (const r of body.requests!) {
        if (closing) throw new Error('Server is shutting down');
        results.push(await stream.handle(r));
      }
    } catch (e) {
      stream.close();
      send(res, 503, 'text/plain', (e as Error).message);
      return;
    } finally {
      stream.busy = false;
    }

    let baton: string | null = null;
    if (!stream.closed) {
      baton = stream.newBaton();
      stream.touch();
    }
    sendJson(res, 200, { baton, base_url: null, results });
  }

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '') || '/';
    if (!authorized(req)) {
      // sqld answers auth failures with a 401 and a JSON `{error}` body (no `message`), so the client
      // surfaces it as an HttpServerError -> LibsqlError code "SERVER_ERROR".
      sendJson(res, 401, { error: 'Unauthorized: invalid or missing authorization token' });
      req.resume();
      return;
    }
    if (req.method === 'POST' && path.endsWith('/v2/pipeline')) {
      handlePipeline(req, res).catch((e: unknown) => send(res, 500, 'text/plain', String((e as Error)?.message ?? e)));
      return;
    }
    req.resume();
    if (req.method === 'GET' && (path === '/' || path.endsWith('/v2'))) {
      send(res, 200, 'text/plain', 'Hello, this is HTTP API v2 (Hrana over HTTP)');
      return;
    }
    if (req.method === 'GET' && path === '/health') {
      send(res, 200, 'text/plain', 'ok');
      return;
    }
    send(res, 404, 'text/plain', 'Not found');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests() {
      return requests;
    },
    async close() {
      if (closing) return;
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      state.lock.rejectAll(new Error('Server is shutting down'));
      for (const s of [...state.streams.values()]) s.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * The request queue and the "server side" of a sync.
 *
 * Like Office.js, every proxy operation (creating a proxy object, loading, setting a property, calling a
 * method) is queued on the request context; nothing touches the workbook until `context.sync()`. A sync:
 *  1. counts itself and measures the request: the UTF-8 size of the JSON of every queued operation's label and
 *     payload (values, number formats, colours, method arguments);
 *  2. calls the host's `onSync` hook (a test can change the workbook there, as a user editing between syncs);
 *  3. rejects with RequestPayloadSizeLimitExceeded, applying nothing, when the size is over the limit;
 *  4. runs the operations in order against the workbook; the first failing operation rejects the sync with its
 *     error — operations before it stay applied, the ones after it are not run (Excel's behaviour);
 *  5. if the loaded data exceeds the response limit, rejects with ResponsePayloadSizeLimitExceeded (the writes
 *     have been made by then);
 *  6. only when everything succeeded, hands the loaded values to the proxies (a failed sync loads nothing).
 */
import { errors, FakeOfficeError } from './errors';
import type { WorkbookModel } from './model';

export interface ExecContext {
  model: WorkbookModel;
  /** Run after the whole batch succeeded: deliver loaded values / null-ness to proxies. */
  commits: Array<() => void>;
  responseBytes: number;
  maxResponseBytes: number;
}

export type OpKind = 'instantiate' | 'load' | 'set' | 'method';

export interface Op {
  kind: OpKind;
  /** "Range.values", "WorksheetCollection.getItem"… used as the error location. */
  label: string;
  payload?: unknown;
  run(exec: ExecContext): void;
}

export interface SyncRequestInfo {
  /** 1-based number of this sync since the host was created or the counters were reset. */
  index: number;
  /** True for the closing sync `Excel.run` makes itself when operations are still queued. */
  implicit: boolean;
  /** Every queued operation, including the instantiation of proxy objects. */
  operations: number;
  instantiations: number;
  loads: number;
  /** Property sets and method calls. */
  writes: number;
  /** Request payload size (UTF-8 bytes of the JSON of the queued operations). */
  bytes: number;
  /** Size of the loaded data returned (UTF-8 bytes of its JSON). */
  responseBytes: number;
  /** 'ok', or the error code the sync rejected with. */
  outcome: string;
}

export type SyncHook = (info: Readonly<SyncRequestInfo>) => void | Promise<void>;

export interface EngineOptions {
  maxRequestBytes: number;
  maxResponseBytes: number;
  excelApiVersion: string;
}

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function jsonBytes(value: unknown): number {
  return utf8Length(JSON.stringify(value) ?? 'null');
}

export function parseVersion(v: string | number): [number, number] {
  const [maj, min] = String(v).split('.');
  return [Number(maj) || 0, Number(min) || 0];
}

export class FakeExcelEngine {
  syncCount = 0;
  readonly requests: SyncRequestInfo[] = [];
  onSync: SyncHook | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly api: [number, number];

  constructor(
    readonly model: WorkbookModel,
    readonly options: EngineOptions,
  ) {
    this.api = parseVersion(options.excelApiVersion);
  }

  supportsExcelApi(version: string | number): boolean {
    const [maj, min] = parseVersion(version);
    return maj < this.api[0] || (maj === this.api[0] && min <= this.api[1]);
  }

  resetCounters(): void {
    this.syncCount = 0;
    this.requests.length = 0;
  }

  /** Sends one request. The implicit closing sync of Excel.run is only a request when something is queued. */
  execute(ops: Op[], implicit: boolean): Promise<void> {
    if (implicit && ops.length === 0) return Promise.resolve();
    const index = ++this.syncCount;
    const info: SyncRequestInfo = {
      index,
      implicit,
      operations: ops.length,
      instantiations: ops.filter((o) => o.kind === 'instantiate').length,
      loads: ops.filter((o) => o.kind === 'load').length,
      writes: ops.filter((o) => o.kind === 'set' || o.kind === 'method').length,
      bytes: ops.length === 0 ? 0 : jsonBytes(ops.map((o) => (o.payload === undefined ? [o.label] : [o.label, o.payload]))),
      responseBytes: 0,
      outcome: 'pending',
    };
    this.requests.push(info);
    const run = async () => {
      try {
        if (this.onSync) await this.onSync(info);
        this.process(ops, info);
        info.outcome = 'ok';
      } catch (e) {
        info.outcome = e instanceof FakeOfficeError ? e.code : 'Error';
        throw e;
      }
    };
    // Requests are processed one at a time, in the order the syncs were called.
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  private process(ops: Op[], info: SyncRequestInfo): void {
    if (ops.length === 0) return;
    if (info.bytes > this.options.maxRequestBytes) throw errors.requestPayloadTooLarge(info.bytes, this.options.maxRequestBytes);
    const exec: ExecContext = { model: this.model, commits: [], responseBytes: 0, maxResponseBytes: this.options.maxResponseBytes };
    for (const op of ops) {
      try {
        op.run(exec);
      } catch (e) {
        if (e instanceof FakeOfficeError) throw e.withLocation(op.label);
        throw e;
      }
    }
    info.responseBytes = exec.responseBytes;
    if (exec.responseBytes > this.options.maxResponseBytes) throw errors.responsePayloadTooLarge(exec.responseBytes, this.options.maxResponseBytes);
    for (const commit of exec.commits) commit();
  }
}

/** Excel.RequestContext of the fake host. */
export class FakeRequestContext {
  /** @internal */ _pending: Op[] = [];
  /** @internal */ _closed = false;
  /** Office.js API; the fake host keeps every object valid for the whole Excel.run, so these do nothing. */
  readonly trackedObjects = { add(_o: unknown): void {}, remove(_o: unknown): void {}, removeAll(_o?: unknown): void {} };
  /** @internal */ readonly _engine: FakeExcelEngine;
  private _root: unknown;

  constructor(engine: FakeExcelEngine, makeWorkbook: (ctx: FakeRequestContext) => unknown) {
    this._engine = engine;
    this._root = makeWorkbook(this);
  }

  get workbook(): any {
    return this._root;
  }

  /** @internal */
  _queue(op: Op): void {
    if (this._closed) {
      throw errors.invalidObjectPath(`${op.label} (used after its Excel.run batch finished)`);
    }
    this._pending.push(op);
  }

  sync<T>(passThroughValue?: T): Promise<T> {
    const ops = this._pending;
    this._pending = [];
    return this._engine.execute(ops, false).then(() => passThroughValue as T);
  }

  /** @internal The closing sync of Excel.run. */
  _closingSync(): Promise<void> {
    const ops = this._pending;
    this._pending = [];
    return this._engine.execute(ops, true);
  }

  /** @internal */
  _requireApi(member: string, version: string): void {
    if (!this._engine.supportsExcelApi(version)) throw errors.apiNotFound(member, version);
  }
}

/**
 * The ExportDesk API as the task pane uses it. Types come from the shared contracts; the pane and the API
 * share one origin in production, so the base URL defaults to the page's own.
 */
import type { DocumentList, ExportDocument } from '../../../shared/contracts/documents.js';
import type { OrderBatchResponse } from '../../../shared/contracts/order-batch.js';
import type { Order, OrderSummary } from '../../../shared/contracts/orders.js';
import type { Me } from '../../../shared/contracts/organisations.js';
import type { Party } from '../../../shared/contracts/parties.js';
import type { ValidationResult } from '../../../shared/contracts/validation.js';

export interface Connection {
  baseUrl: string;
  apiKey: string;
}

/** An error answered by the API (or the network), with the API's code and field details when there are any. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path: string; message: string }[] = [],
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface OrderFilters {
  status?: string[];
  buyerId?: string;
  destinationCountry?: string;
  shipFrom?: string;
  shipTo?: string;
  q?: string;
}

export type Api = ReturnType<typeof createApi>;

export function createApi(conn: Connection, fetchImpl: typeof fetch = (...a) => fetch(...a)) {
  const base = conn.baseUrl.replace(/\/+$/, '');

  async function request<T>(method: string, path: string, opts: { body?: unknown; query?: Record<string, string | undefined>; signal?: AbortSignal } = {}): Promise<T> {
    const url = new URL(base + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v) url.searchParams.set(k, v);
    let res: Response;
    try {
      res = await fetchImpl(url.toString(), {
        method,
        headers: { Authorization: `Bearer ${conn.apiKey}`, Accept: 'application/json', ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiError(0, 'NETWORK', `Cannot reach ${base}: ${(e as Error).message}. Check the API URL and that the server is running.`);
    }
    const text = await res.text();
    let json: any = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    if (!res.ok) {
      const err = json?.error;
      throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? `${res.status} ${res.statusText}`, err?.details ?? [], json);
    }
    return json as T;
  }

  return {
    baseUrl: base,
    me: () => request<Me>('GET', '/me'),
    /** All orders matching the filters, with lines, following cursors. */
    async pullOrders(filters: OrderFilters, onPage?: (loaded: number) => void): Promise<Order[]> {
      const out: Order[] = [];
      let cursor: string | undefined;
      do {
        const page = await request<{ items: Order[]; nextCursor: string | null }>('GET', '/orders/expanded', {
          query: {
            limit: '200',
            cursor,
            status: filters.status?.length ? filters.status.join(',') : undefined,
            buyerId: filters.buyerId,
            destinationCountry: filters.destinationCountry,
            shipFrom: filters.shipFrom,
            shipTo: filters.shipTo,
            q: filters.q,
          },
        });
        out.push(...page.items);
        onPage?.(out.length);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return out;
    },
    listOrders: (query: Record<string, string | undefined>) => request<{ items: OrderSummary[]; nextCursor: string | null }>('GET', '/orders', { query }),
    getOrder: (id: string) => request<Order>('GET', `/orders/${encodeURIComponent(id)}`),
    batchUpdate: (items: { id: string; version: number; patch: Record<string, unknown> }[]) => request<OrderBatchResponse>('POST', '/orders/batch-update', { body: { items } }),
    /** Every buyer (for names in the sheet and the buyer filter). */
    async buyers(): Promise<Party[]> {
      const out: Party[] = [];
      let cursor: string | undefined;
      do {
        const page = await request<{ items: Party[]; nextCursor: string | null }>('GET', '/parties', { query: { role: 'buyer', limit: '200', cursor } });
        out.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return out;
    },
    importRows: <T>(body: unknown, signal?: AbortSignal) => request<T>('POST', '/imports', { body, ...(signal ? { signal } : {}) }),
    validateOrder: (id: string) => request<ValidationResult>('POST', `/orders/${encodeURIComponent(id)}/validate`),
    generateDocuments: (id: string) => request<{ items: ExportDocument[] }>('POST', `/orders/${encodeURIComponent(id)}/documents`, { body: {} }),
    listDocuments: (id: string) => request<DocumentList>('GET', `/orders/${encodeURIComponent(id)}/documents`),
    /** A document's bytes (the download needs the API key, so it cannot be a plain link). */
    async downloadDocument(doc: Pick<ExportDocument, 'id'>): Promise<Blob> {
      const res = await fetchImpl(`${base}/documents/${encodeURIComponent(doc.id)}/content`, { headers: { Authorization: `Bearer ${conn.apiKey}` } });
      if (!res.ok) throw new ApiError(res.status, `HTTP_${res.status}`, `Download failed: ${res.status}`);
      return res.blob();
    },
  };
}

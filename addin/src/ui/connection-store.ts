/**
 * Where the pane keeps the API URL and key: the add-in's own browser storage (per origin), never the
 * workbook, so a shared workbook never carries anyone's key.
 */
import type { Connection } from '../api/client.js';

const KEY = 'exportdesk.connection';

export function loadConnection(): Connection | null {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    const c = raw ? (JSON.parse(raw) as Connection) : null;
    return c && typeof c.baseUrl === 'string' && typeof c.apiKey === 'string' ? c : null;
  } catch {
    return null;
  }
}

export function saveConnection(c: Connection): void {
  globalThis.localStorage?.setItem(KEY, JSON.stringify(c));
}

export function clearConnection(): void {
  globalThis.localStorage?.removeItem(KEY);
}

/** The API's default URL: the page's own origin (the backend serves the pane). */
export const defaultBaseUrl = () => (typeof location !== 'undefined' && location.origin.startsWith('http') ? location.origin : 'https://localhost:8787');

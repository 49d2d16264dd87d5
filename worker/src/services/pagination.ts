import { invalid } from './errors.js';

/** Cursors are the last id of the previous page, base64url-encoded so clients treat them as opaque. */
export function encodeCursor(id: string): string {
  return btoa(id).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  try {
    const id = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    if (/^[a-z]{3}_[0-9A-Z]{26}$/.test(id)) return id;
  } catch {
    /* fall through */
  }
  throw invalid('Invalid cursor', [{ path: 'query.cursor', message: 'Not a cursor returned by this API' }]);
}

/** Given limit+1 rows in id-descending order, the page and the next cursor. */
export function pageOf<T extends { id: string }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}

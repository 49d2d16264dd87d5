/**
 * Helpers for driving the task pane in Chromium over the fake Excel host: what the user does in the Excel grid
 * (type into cells, select cells, add a sheet) and what a test reads back from the workbook, through
 * `window.__fakeExcel.workbook` (FakeWorkbookControls) — never the pane's own code. Plus a small API client
 * for the test process (Node) and the launch of the system Chromium.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { CellFormatInfo, CellValue, FakeExcelHost } from '../../../addin/src/excel/fake/index.js';

declare global {
  interface Window {
    __fakeExcel: FakeExcelHost;
  }
}

export const CHROMIUM = '/usr/bin/chromium';

/** Throws a clear message when the system Chromium is not installed. */
export function assertChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the end-to-end test drives the system Chromium (Debian/Ubuntu: apt-get install chromium). It never downloads a browser.`);
  }
}

/** Headless Chromium from the system (CI: apt-get install chromium); never downloads a browser. */
export async function launchChromium(): Promise<Browser> {
  assertChromium();
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** The Excel grid, as the user sees and edits it. */
export class Grid {
  constructor(private readonly page: Page) {}

  values(sheet: string, address?: string): Promise<CellValue[][]> {
    return this.page.evaluate(([s, a]) => window.__fakeExcel.workbook.getValues(s!, a), [sheet, address] as const);
  }
  async cell(sheet: string, address: string): Promise<CellValue> {
    return (await this.values(sheet, address))[0]![0]!;
  }
  /** The user types values (top-left corner `address`). */
  type(sheet: string, address: string, values: unknown[][]): Promise<void> {
    return this.page.evaluate(([s, a, v]) => window.__fakeExcel.workbook.setValues(s, a, v), [sheet, address, values] as const);
  }
  select(sheet: string, address: string): Promise<void> {
    return this.page.evaluate(([s, a]) => window.__fakeExcel.workbook.select(s, a), [sheet, address] as const);
  }
  selection(): Promise<{ sheet: string; address: string }> {
    return this.page.evaluate(() => window.__fakeExcel.workbook.getSelection());
  }
  addSheet(name: string): Promise<void> {
    return this.page.evaluate((n) => window.__fakeExcel.workbook.addSheet(n), name);
  }
  setNumberFormat(sheet: string, address: string, format: string): Promise<void> {
    return this.page.evaluate(([s, a, f]) => window.__fakeExcel.workbook.setNumberFormat(s, a, f), [sheet, address, format] as const);
  }
  format(sheet: string, address: string): Promise<CellFormatInfo> {
    return this.page.evaluate(([s, a]) => window.__fakeExcel.workbook.getFormat(s, a), [sheet, address] as const);
  }
  isColumnHidden(sheet: string, column: number): Promise<boolean> {
    return this.page.evaluate(([s, c]) => window.__fakeExcel.workbook.isColumnHidden(s, c), [sheet, column] as const);
  }
  sheetNames(): Promise<string[]> {
    return this.page.evaluate(() => window.__fakeExcel.workbook.sheetNames());
  }
}

/** JSON API calls from the test process, with the demo key. */
export function nodeApi(base: string, apiKey: string) {
  async function call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: T; etag: string | null }> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : null) as T, etag: res.headers.get('etag') };
  }
  /** Every order matching `q` (all pages). */
  async function listAll(q?: string): Promise<{ id: string; reference: string; version: number }[]> {
    const out: { id: string; reference: string; version: number }[] = [];
    let cursor: string | null = null;
    do {
      const params: URLSearchParams = new URLSearchParams({ limit: '200', ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) });
      const page: { status: number; json: { items: { id: string; reference: string; version: number }[]; nextCursor: string | null } } = await call('GET', `/orders?${params}`);
      if (page.status !== 200) throw new Error(`GET /orders → ${page.status} ${JSON.stringify(page.json)}`);
      out.push(...page.json.items);
      cursor = page.json.nextCursor;
    } while (cursor);
    return out;
  }
  return { call, listAll };
}

/**
 * Elements sticking out of the viewport on the right (horizontal overflow makes the pane scroll sideways):
 * the innermost ones, as "tag.class(es) text…: right edge px". Empty when the page fits.
 */
export function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      const right = el.getBoundingClientRect().right;
      if (right <= width + 0.5) continue;
      if ([...el.children].some((c) => c.getBoundingClientRect().right > width + 0.5)) continue; // report the innermost only
      const label = el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 40);
      out.push(`<${el.tagName.toLowerCase()}${label ? ` "${label}"` : ''}> ends at ${Math.round(right)} px`);
    }
    return out;
  });
}

/** Wait until some element of `locator` contains `text` (no fixed sleeps); returns that element. */
export async function waitForText(locator: Locator, text: string | RegExp, timeout = 20_000): Promise<Locator> {
  const hit = locator.filter({ hasText: text }).first();
  await hit.waitFor({ state: 'visible', timeout });
  return hit;
}

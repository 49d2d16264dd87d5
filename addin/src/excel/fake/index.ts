/**
 * A fake Excel host with Office.js load/sync semantics, for testing the add-in's excel/ layer in Node and in a
 * browser (bundled as an IIFE and served in place of office.js; see browser-entry.ts).
 * Browser-compatible, no dependencies.
 */
import { createFakeExcel, type FakeExcelHost, type FakeExcelOptions } from './host';

export { createFakeExcel } from './host';
export type { CellFormatInfo, FakeExcelHost, FakeExcelOptions, FakeTableInfo, FakeWorkbookControls } from './host';
export type { FakeExcelNamespace } from './excel-namespace';
export type { FakeOffice, FakePlatform } from './office';
export type { SyncHook, SyncRequestInfo } from './request';
export { ErrorCodes as FakeErrorCodes, FakeOfficeError } from './errors';
export type { CellValue } from './values';

/**
 * Creates a host and installs it as globals on `target`: `Excel`, `Office`, `OfficeExtension` and
 * `__fakeExcel` (the host with its test controls). Returns the host.
 */
export function installFakeExcel(target: object = globalThis, options?: FakeExcelOptions): FakeExcelHost {
  const host = createFakeExcel(options);
  const t = target as Record<string, unknown>;
  t.Excel = host.Excel;
  t.Office = host.Office;
  t.OfficeExtension = host.OfficeExtension;
  t.__fakeExcel = host;
  return host;
}

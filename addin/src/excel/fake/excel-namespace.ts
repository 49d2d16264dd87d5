/// <reference types="office-js" />
/**
 * The `Excel` global of the fake host: Excel.run (all its overloads), Excel.RequestContext and the enums an
 * add-in is likely to use. Excel.run works like Office.js: a new request context per call; when the batch's
 * promise resolves, a closing sync sends whatever is still queued; when it rejects, the queued operations
 * are dropped; a batch that does not return a promise fails with RunMustReturnPromise. Objects from a
 * finished batch cannot queue more operations (InvalidObjectPath), unless passed to Excel.run(object, batch).
 */
import { FakeClientObject } from './client-object';
import { errors } from './errors';
import type { WorkbookModel } from './model';
import { FakeWorkbook } from './proxies/workbook';
import { FakeRequestContext, type FakeExcelEngine } from './request';

export interface FakeExcelNamespace {
  run: typeof Excel.run;
  RequestContext: new () => Excel.RequestContext;
  SheetVisibility: typeof Excel.SheetVisibility;
  ClearApplyTo: typeof Excel.ClearApplyTo;
  DeleteShiftDirection: typeof Excel.DeleteShiftDirection;
  InsertShiftDirection: typeof Excel.InsertShiftDirection;
  RangeValueType: typeof Excel.RangeValueType;
  ErrorCodes: typeof Excel.ErrorCodes;
}

const ERROR_CODES = {
  accessDenied: 'AccessDenied',
  apiNotFound: 'ApiNotFound',
  conflict: 'Conflict',
  dirtySupportingFormula: 'DirtySupportingFormula',
  emptyChartSeries: 'EmptyChartSeries',
  filteredRangeConflict: 'FilteredRangeConflict',
  formulaLengthExceedsLimit: 'FormulaLengthExceedsLimit',
  generalException: 'GeneralException',
  inactiveWorkbook: 'InactiveWorkbook',
  insertDeleteConflict: 'InsertDeleteConflict',
  invalidArgument: 'InvalidArgument',
  invalidBinding: 'InvalidBinding',
  invalidOperation: 'InvalidOperation',
  invalidReference: 'InvalidReference',
  invalidSelection: 'InvalidSelection',
  itemAlreadyExists: 'ItemAlreadyExists',
  itemNotFound: 'ItemNotFound',
  mergedRangeConflict: 'MergedRangeConflict',
  nonBlankCellOffSheet: 'NonBlankCellOffSheet',
  notImplemented: 'NotImplemented',
  openWorkbookLinksBlocked: 'OpenWorkbookLinksBlocked',
  operationCellsExceedLimit: 'OperationCellsExceedLimit',
  pivotTableRangeConflict: 'PivotTableRangeConflict',
  powerQueryRefreshResourceChallenge: 'PowerQueryRefreshResourceChallenge',
  rangeExceedsLimit: 'RangeExceedsLimit',
  rangeImageExceedsLimit: 'RangeImageExceedsLimit',
  refreshWorkbookLinksBlocked: 'RefreshWorkbookLinksBlocked',
  requestAborted: 'RequestAborted',
  responsePayloadSizeLimitExceeded: 'ResponsePayloadSizeLimitExceeded',
  unsupportedFeature: 'UnsupportedFeature',
  unsupportedFillType: 'UnsupportedFillType',
  unsupportedOperation: 'UnsupportedOperation',
  unsupportedSheet: 'UnsupportedSheet',
  invalidOperationInCellEditMode: 'InvalidOperationInCellEditMode',
};

export function createExcelNamespace(engine: FakeExcelEngine, model: WorkbookModel): FakeExcelNamespace {
  const makeWorkbook = (ctx: FakeRequestContext) => new FakeWorkbook(ctx, model);

  class RequestContext extends FakeRequestContext {
    constructor() {
      super(engine, makeWorkbook);
    }
  }

  async function run(...args: unknown[]): Promise<unknown> {
    const batch = args[args.length - 1];
    if (typeof batch !== 'function') throw errors.invalidArgument('Excel.run needs a batch function');
    const first = args.length > 1 ? args[0] : undefined;
    let ctx: FakeRequestContext | undefined;
    if (first instanceof FakeRequestContext) ctx = first;
    else if (first instanceof FakeClientObject) ctx = first.context as FakeRequestContext;
    else if (Array.isArray(first) && first[0] instanceof FakeClientObject) ctx = first[0].context as FakeRequestContext;
    if (ctx && ctx._engine !== engine) throw errors.invalidArgument('the object belongs to another fake Excel host');
    const context = ctx ?? new RequestContext();
    const wasClosed = context._closed;
    context._closed = false;
    try {
      const ret = batch(context);
      if (!ret || typeof (ret as Promise<unknown>).then !== 'function') throw errors.runMustReturnPromise();
      const value = await ret;
      await context._closingSync();
      return value;
    } finally {
      context._pending = [];
      context._closed = ctx ? wasClosed : true;
    }
  }

  return {
    run: run as unknown as typeof Excel.run,
    RequestContext: RequestContext as unknown as new () => Excel.RequestContext,
    SheetVisibility: { visible: 'Visible', hidden: 'Hidden', veryHidden: 'VeryHidden' } as unknown as typeof Excel.SheetVisibility,
    ClearApplyTo: {
      all: 'All',
      formats: 'Formats',
      contents: 'Contents',
      hyperlinks: 'Hyperlinks',
      removeHyperlinks: 'RemoveHyperlinks',
      resetContents: 'ResetContents',
    } as unknown as typeof Excel.ClearApplyTo,
    DeleteShiftDirection: { up: 'Up', left: 'Left' } as unknown as typeof Excel.DeleteShiftDirection,
    InsertShiftDirection: { down: 'Down', right: 'Right' } as unknown as typeof Excel.InsertShiftDirection,
    RangeValueType: {
      unknown: 'Unknown',
      empty: 'Empty',
      string: 'String',
      integer: 'Integer',
      double: 'Double',
      boolean: 'Boolean',
      error: 'Error',
      richValue: 'RichValue',
    } as unknown as typeof Excel.RangeValueType,
    ErrorCodes: ERROR_CODES as unknown as typeof Excel.ErrorCodes,
  };
}

/**
 * The one place the add-in enters Excel. Every workbook function in this folder has the shape
 * `(context, ...) => Promise<plain data>` and is called through {@link runExcel}, so UI code never touches
 * `Excel.*` and tests can run the same functions against a fake host.
 */
export function runExcel<T>(fn: (context: Excel.RequestContext) => Promise<T>): Promise<T> {
  return Excel.run(fn);
}

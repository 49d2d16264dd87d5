/** Per-workbook add-in settings (e.g. the import column mapping), stored in the workbook's settings. Never secrets. */

export async function readWorkbookSetting<T>(context: Excel.RequestContext, key: string): Promise<T | null> {
  const item = context.workbook.settings.getItemOrNullObject(key).load('value');
  await context.sync();
  if (item.isNullObject) return null;
  try {
    return (typeof item.value === 'string' ? JSON.parse(item.value) : item.value) as T;
  } catch {
    return null;
  }
}

export async function writeWorkbookSetting(context: Excel.RequestContext, key: string, value: unknown): Promise<void> {
  context.workbook.settings.add(key, JSON.stringify(value));
  await context.sync();
}

/// <reference types="office-js" />
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';
import { createFakeExcel, FakeOfficeError, installFakeExcel, type FakeExcelHost } from './index';

/** Runs fn, expecting it to reject/throw an Office-style error; returns the error. */
async function failure(fn: () => Promise<unknown> | unknown): Promise<FakeOfficeError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FakeOfficeError);
    return e as FakeOfficeError;
  }
  throw new Error('expected an error');
}

function fresh(options?: Parameters<typeof createFakeExcel>[0]): FakeExcelHost {
  return createFakeExcel(options);
}

describe('load / sync semantics', () => {
  test('reading a property that was never loaded throws PropertyNotLoaded with the Office.js message', async () => {
    const host = fresh();
    host.workbook.setValues('Sheet1', 'A1', [[1]]);
    await host.Excel.run(async (context) => {
      const range = context.workbook.worksheets.getItem('Sheet1').getRange('A1');
      const err = await failure(() => range.values);
      expect(err.code).toBe('PropertyNotLoaded');
      expect(err.message).toBe(
        `The property 'values' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
      );
      expect(err.debugInfo).toMatchObject({ code: 'PropertyNotLoaded', errorLocation: 'Range.values' });
      await context.sync();
      // A sync without a load does not make it readable either.
      expect((await failure(() => range.values)).code).toBe('PropertyNotLoaded');
    });
  });

  test('a loaded property is not readable before the sync, and is after it', async () => {
    const host = fresh();
    host.workbook.setValues('Sheet1', 'A1', [[1, 'x'], [true, '']]);
    await host.Excel.run(async (context) => {
      const range = context.workbook.worksheets.getItem('Sheet1').getRange('A1:B2').load('values, address');
      expect((await failure(() => range.values)).code).toBe('PropertyNotLoaded');
      expect((await failure(() => range.address)).code).toBe('PropertyNotLoaded');
      await context.sync();
      expect(range.values).toEqual([
        [1, 'x'],
        [true, ''],
      ]);
      expect(range.address).toBe('Sheet1!A1:B2');
      // Only what was loaded is readable.
      expect((await failure(() => range.rowCount)).code).toBe('PropertyNotLoaded');
    });
  });

  test('loaded values are a snapshot taken at the sync; later changes show only after loading again', async () => {
    const host = fresh();
    host.workbook.setValues('Sheet1', 'A1', [['before']]);
    await host.Excel.run(async (context) => {
      const range = context.workbook.worksheets.getItem('Sheet1').getRange('A1').load('values');
      await context.sync();
      host.workbook.setValues('Sheet1', 'A1', [['after']]);
      await context.sync();
      expect(range.values).toEqual([['before']]);
      range.load('values');
      await context.sync();
      expect(range.values).toEqual([['after']]);
    });
  });

  test('a load queued before a write in the same batch sees the old value (operations run in order)', async () => {
    const host = fresh();
    host.workbook.setValues('Sheet1', 'A1', [['old']]);
    await host.Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem('Sheet1');
      const before = sheet.getRange('A1').load('values');
      sheet.getRange('A1').values = [['new']];
      const after = sheet.getRange('A1').load('values');
      await context.sync();
      expect(before.values).toEqual([['old']]);
      expect(after.values).toEqual([['new']]);
    });
  });

  test('queued writes reach the workbook only at the sync; a set property reads back locally at once', async () => {
    const host = fresh();
    await host.Excel.run(async (context) => {
      const range = context.workbook.worksheets.getItem('Sheet1').getRange('A1:B1');
      range.values = [['a', 'b']];
      range.format.fill.color = '#ffc7ce';
      expect(range.values).toEqual([['a', 'b']]); // Office.js keeps the value it was given
      expect(host.workbook.getValues('Sheet1', 'A1:B1')).toEqual([['', '']]);
      expect(host.workbook.getFormat('Sheet1', 'A1:B1').fill).toBeNull();
      await context.sync();
      expect(host.workbook.getValues('Sheet1', 'A1:B1')).toEqual([['a', 'b']]);
      expect(host.workbook.getFormat('Sheet1', 'A1:B1').fill).toBe('#FFC7CE');
    });
  });

  test('load accepts a string list, an array, { select } and nested paths', async () => {
    const host = fresh();
    host.workbook.setValues('Sheet1', 'A1', [[1, 2]]);
    host.workbook.setFormat('Sheet1', 'A1:B1', { fill: '#00FF00' });
    await host.Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem('Sheet1');
      const a = sheet.getRange('A1:B1').load(['values', 'columnCount']);
      const b = sheet.getRange('A1:B1').load({ select: 'address, rowIndex' });
      const c = sheet.getRange('A1:B1').load('format/fill/color, worksheet/name');
      await context.sync();
      expect([a.values, a.columnCount]).toEqual([[[1, 2]], 2]);
      expect([b.address, b.rowIndex]).toEqual(['Sheet1!A1:B1', 0]);
      expect(c.format.fill.color).toBe('#00FF00');
      expect(c.worksheet.name).toBe('Sheet1');
    });
  });

  test('loading a property the fake does not implement fails loudly; unknown assignments throw', async () => {
    const host = fresh();
    await host.Excel.run(async (context) => {
      const range = context.workbook.worksheets.getItem('Sheet1').getRange('A1');
      expect((await failure(() => range.load('formulasR1C1'))).code).toBe('FakeNotImplemented');
      expect(() => {
        (range.format as unknown as Record<string, unknown>).wrapText = true;
      }).toThrow(TypeError);
    });
  });

  test('collections: items are readable after load; loaded item props only', async () => {
    const host = fresh();
    host.workbook.addSheet('Data');
    host.workbook.setSheetVisibility('Data', 'Hidden');
    await host.Excel.run(async (context) => {
      const sheets = context.workbook.worksheets.load('items/name, items/visibility');
      expect((await failure(() => sheets.items)).code).toBe('PropertyNotLoaded');
      await context.sync();
      expect(sheets.items.map((s) => [s.name, s.visibility])).toEqual([
        ['Sheet1', 'Visible'],
        ['Data', 'Hidden'],
      ]);
      expect((await failure(() => sheets.items[0]!.position)).code).toBe('PropertyNotLoaded');
    });
  });
});

describe('sync counting and request log', () => {
  test('every context.sync() is counted; Excel.run adds a closing sync only when operations are still queued', async () => {
    const host = fresh();
    await host.Excel.run(async (context) => {
      context.workbook.worksheets.getItem('Sheet1').getRange('A1').values = [[1]];
      await context.sync();
      await context.sync(); // nothing queued: still a context.sync() call
    });
    expect(host.syncCount).toBe(2);
    expect(host.requests.map((r) => [r.operations, r.writes, r.implicit])).toEqual([
      [4, 1, false], // worksheets, getItem, getRange (instantiations) and the values write
      [0, 0, false],
    ]);

    await host.Excel.run(async (context) => {
      context.workbook.worksheets.getItem('Sheet1').getRange('A2').values = [[2]];
    });
    expect(host.syncCount).toBe(3);
    expect(host.requests[2]).toMatchObject({ implicit: true, writes: 1, outcome: 'ok' });
    expect(host.workbook.getValues('Sheet1', 'A2')).toEqual([[2]]);

    host.resetCounters();
    expect(host.syncCount).toBe(0);
    expect(host.requests).toEqual([]);
  });

  test('request bytes measure the JSON of the queued payloads (UTF-8)', async () => {
    const host = fresh();
    await host.Excel.run(async (context) => {
      const r = context.workbook.worksheets.getItem('Sheet1').getRange('A1:B1');
      r.values = [['é', 'x']];
      await context.sync();
    });
    const bytes = host.requests[0]!.bytes;
    // The payload alone is 11 bytes ([["é","x"]] with a 2-byte é); labels are counted too.
    expect(bytes).toBeGreaterThanOrEqual(11);
    expect(bytes).toBe(
      new TextEncoder().encode(JSON.stringify([['Workbook.worksheets'], ['WorksheetCollection.getItem'], ['Worksheet.getRange'], ['Range.values', [['é', 'x']]]])).length,
    );
  });

  test('a batch that rejects drops its queued operations; a batch that returns no promise fails', async () => {
    const host = fresh();
    await expect(
      host.Excel.run(async (context) => {
        context.workbook.worksheets.getItem('Sheet1').getRange('A1').values = [['never']];
        throw new Error('user code failed');
      }),
    ).rejects.toThrow('user code failed');
    expect(host.workbook.getValues('Sheet1', 'A1')).toEqual([['']]);
    expect(host.syncCount).toBe(0);

    const err = await failure(() => host.Excel.run(((_context: Excel.RequestContext) => 42) as never));
    expect(err.code).toBe('RunMustReturnPromise');
  });

  test('objects from a finished Excel.run cannot queue more work', async () => {
    const host = fresh();
    const range = await host.Excel.run(async (context) => context.workbook.worksheets.getItem('Sheet1').getRange('A1'));
    expect((await failure(() => range.load('values'))).code).toBe('InvalidObjectPath');
  });

  test('onSync runs before each request: a concurrent user edit lands between two syncs', async () => {
    const host = fresh();
    host.workbook.setValues('Sheet1', 'A1', [['pulled']]);
    const seen: number[] = [];
    await host.Excel.run(async (context) => {
      const range = context.workbook.worksheets.getItem('Sheet1').getRange('A1').load('values');
      await context.sync();
      expect(range.values).toEqual([['pulled']]);
      host.onSync = (info) => {
        seen.push(info.index);
        host.workbook.setValues('Sheet1', 'A1', [['edited by user']]);
      };
      range.load('values');
      await context.sync();
      expect(range.values).toEqual([['edited by user']]);
    });
    expect(seen).toEqual([2]);
  });
});

describe('request payload limit', () => {
  test('over the limit: RequestPayloadSizeLimitExceeded and nothing of the batch is applied', async () => {
    const host = fresh({ maxRequestBytes: 1000 });
    const err = await failure(() =>
      host.Excel.run(async (context) => {
        const sheet = context.workbook.worksheets.getItem('Sheet1');
        sheet.getRange('A1').values = [['small write first']];
        sheet.getRangeByIndexes(1, 0, 100, 1).values = Array.from({ length: 100 }, (_, i) => [`row ${i} padding`]);
        await context.sync();
      }),
    );
    expect(err.code).toBe('RequestPayloadSizeLimitExceeded');
    expect(host.workbook.getValues('Sheet1', 'A1:A3')).toEqual([[''], [''], ['']]);
    expect(host.requests[0]).toMatchObject({ outcome: 'RequestPayloadSizeLimitExceeded' });
    expect(host.requests[0]!.bytes).toBeGreaterThan(1000);
  });

  test('5,000 × 25 cells written in one sync and read back in one sync; twice that is over 5 MB', async () => {
    const host = fresh();
    const rows = 5000;
    const cols = 25;
    const matrix = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => (c % 2 ? `R${r}C${c}-text` : r * cols + c)));
    await host.Excel.run(async (context) => {
      context.workbook.worksheets.getItem('Sheet1').getRangeByIndexes(0, 0, rows, cols).values = matrix;
      await context.sync();
    });
    expect(host.syncCount).toBe(1);
    expect(host.requests[0]!.bytes).toBeLessThan(5 * 1024 * 1024);

    const read = await host.Excel.run(async (context) => {
      const used = context.workbook.worksheets.getItem('Sheet1').getUsedRange().load('values, address');
      await context.sync();
      return { values: used.values, address: used.address };
    });
    expect(host.syncCount).toBe(2);
    expect(read.address).toBe('Sheet1!A1:Y5000');
    expect(read.values).toEqual(matrix);

    const big = Array.from({ length: rows * 2 }, (_, r) => Array.from({ length: cols }, (_, c) => `R${r}C${c}-longer-text-to-pass-five-megabytes`));
    const err = await failure(() =>
      host.Excel.run(async (context) => {
        context.workbook.worksheets.getItem('Sheet1').getRangeByIndexes(0, 0, rows * 2, cols).values = big;
        await context.sync();
      }),
    );
    expect(err.code).toBe('RequestPayloadSizeLimitExceeded');
    expect(host.workbook.getValues('Sheet1', 'B1')).toEqual([['R0C1-text']]);
  });

  test('loading more than the response limit fails with ResponsePayloadSizeLimitExceeded', async () => {
    const host = fresh({ maxResponseBytes: 2000 });
    host.workbook.setValues('Sheet1', 'A1', Array.from({ length: 200 }, (_, i) => [`value number ${i}`]));
    const err = await failure(() =>
      host.Excel.run(async (context) => {
        context.workbook.worksheets.getItem('Sheet1').getRange('A1:A200').load('values');
        await context.sync();
      }),
    );
    expect(err.code).toBe('ResponsePayloadSizeLimitExceeded');
    // A whole column is refused without building a million-row array.
    const whole = await failure(() =>
      fresh().Excel.run(async (context) => {
        context.workbook.worksheets.getItem('Sheet1').getRange('B:B').load('values');
        await context.sync();
      }),
    );
    expect(whole.code).toBe('ResponsePayloadSizeLimitExceeded');
  });
});

describe('errors at sync', () => {
  test('getItem of a missing sheet fails the sync with ItemNotFound even if unused; earlier operations stay applied, later ones do not run', async () => {
    const host = fresh();
    const err = await failure(() =>
      host.Excel.run(async (context) => {
        const sheet = context.workbook.worksheets.getItem('Sheet1');
        sheet.getRange('A1').values = [['applied']];
        context.workbook.worksheets.getItem('Nope');
        sheet.getRange('A2').values = [['not applied']];
        await context.sync();
      }),
    );
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('ItemNotFound');
    expect(err.debugInfo.code).toBe('ItemNotFound');
    expect(err.debugInfo.errorLocation).toBe('WorksheetCollection.getItem');
    expect(host.workbook.getValues('Sheet1', 'A1:A2')).toEqual([['applied'], ['']]);
  });

  test('a values matrix of the wrong shape fails with InvalidArgument and writes nothing of that range', async () => {
    const host = fresh();
    const err = await failure(() =>
      host.Excel.run(async (context) => {
        context.workbook.worksheets.getItem('Sheet1').getRange('A1:C3').values = [
          [1, 2, 3],
          [4, 5, 6],
        ];
        await context.sync();
      }),
    );
    expect(err.code).toBe('InvalidArgument');
    expect(err.message).toContain("doesn't match the size or dimensions of the range");
    expect(err.debugInfo.errorLocation).toBe('Range.values');
    expect(host.workbook.usedRange('Sheet1')).toBeNull();
  });

  test('a failed sync delivers no loaded values', async () => {
    const host = fresh();
    host.workbook.setValues('Sheet1', 'A1', [['x']]);
    await host.Excel.run(async (context) => {
      const range = context.workbook.worksheets.getItem('Sheet1').getRange('A1').load('values');
      context.workbook.tables.getItem('Missing');
      await expect(context.sync()).rejects.toMatchObject({ code: 'ItemNotFound' });
      expect((await failure(() => range.values)).code).toBe('PropertyNotLoaded');
    });
  });

  test('errors are OfficeExtension.Error instances with code and debugInfo', async () => {
    const host = installFakeExcel({});
    const err = await failure(() => host.Excel.run(async (context) => void context.workbook.worksheets.getItem('x').load('name')));
    expect(err).toBeInstanceOf(host.OfficeExtension.Error);
    expect(err.name).toBe('RichApi.Error');
    expect(String(err)).toBe(`ItemNotFound: ${err.message}`);
    expect(err.httpStatusCode).toBe(404);
  });
});

describe('null objects', () => {
  test('getItemOrNullObject: isNullObject readable after the sync (not before); loads on a null object succeed', async () => {
    const host = fresh();
    await host.Excel.run(async (context) => {
      const missing = context.workbook.worksheets.getItemOrNullObject('Missing');
      const present = context.workbook.worksheets.getItemOrNullObject('sheet1'); // names are case-insensitive
      missing.load('name');
      expect((await failure(() => missing.isNullObject)).code).toBe('PropertyNotLoaded');
      await context.sync();
      expect(missing.isNullObject).toBe(true);
      expect(missing.name).toBeUndefined();
      expect(present.isNullObject).toBe(false);
    });
  });

  test('a null object found in a sync that failed later still reports isNullObject after the next sync', async () => {
    const host = fresh();
    await host.Excel.run(async (context) => {
      const table = context.workbook.tables.getItemOrNullObject('Missing');
      context.workbook.worksheets.getItem('Nope');
      await expect(context.sync()).rejects.toMatchObject({ code: 'ItemNotFound' });
      expect((await failure(() => table.isNullObject)).code).toBe('PropertyNotLoaded');
      table.load('name');
      await context.sync();
      expect(table.isNullObject).toBe(true);
    });
  });

  test('using a null object (set, method, child object) fails the sync with InvalidObjectPath', async () => {
    const host = fresh();
    for (const use of [
      (t: Excel.Table) => {
        t.name = 'Renamed';
      },
      (t: Excel.Table) => t.delete(),
      (t: Excel.Table) => void t.getDataBodyRange().load('values'),
    ]) {
      const err = await failure(() =>
        host.Excel.run(async (context) => {
          const table = context.workbook.tables.getItemOrNullObject('Missing');
          await context.sync();
          expect(table.isNullObject).toBe(true);
          use(table);
          await context.sync();
        }),
      );
      expect(err.code).toBe('InvalidObjectPath');
    }
  });

  test('getUsedRangeOrNullObject is null on an empty sheet; getUsedRange is A1 there', async () => {
    const host = fresh();
    await host.Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem('Sheet1');
      const maybe = sheet.getUsedRangeOrNullObject(true).load('address');
      const used = sheet.getUsedRange().load('address');
      await context.sync();
      expect(maybe.isNullObject).toBe(true);
      expect(used.address).toBe('Sheet1!A1');
    });
  });

  test('settings: getItemOrNullObject is null for an unknown key, getItem fails with ItemNotFound', async () => {
    const host = fresh();
    await host.Excel.run(async (context) => {
      const s = context.workbook.settings.getItemOrNullObject('nope').load('value');
      await context.sync();
      expect(s.isNullObject).toBe(true);
    });
    const err = await failure(() => host.Excel.run(async (context) => void context.workbook.settings.getItem('nope').load('value')));
    expect(err.code).toBe('ItemNotFound');
  });
});

describe('addresses and ranges', () => {
  test('getRangeByIndexes and derived ranges report Excel addresses (sheet names quoted when needed)', async () => {
    const host = fresh();
    host.workbook.addSheet('My Orders');
    const got = await host.Excel.run(async (context) => {
      const plain = context.workbook.worksheets.getItem('Sheet1');
      const spaced = context.workbook.worksheets.getItem('My Orders');
      const ranges = [
        plain.getRangeByIndexes(0, 0, 1, 1),
        plain.getRangeByIndexes(4, 2, 10, 3),
        plain.getRangeByIndexes(0, 26, 2, 2),
        spaced.getRangeByIndexes(1, 1, 2, 2),
        plain.getRange('B2:C3').getEntireColumn(),
        plain.getRange('B2:C3').getEntireRow(),
        plain.getRange('B2:D4').getCell(1, 1),
        plain.getRange('B2:D4').getOffsetRange(1, 0),
        plain.getRange('B2:D4').getResizedRange(2, -1),
        plain.getRange('B2:D4').getLastRow(),
        plain.getRange('B2:D4').getColumn(2),
        plain.getRange('b:b'),
        plain.getRange('3:3'),
      ].map((r) => r.load('address, rowIndex, columnIndex, rowCount, columnCount'));
      await context.sync();
      return ranges.map((r) => [r.address, r.rowIndex, r.columnIndex, r.rowCount, r.columnCount]);
    });
    expect(got).toEqual([
      ['Sheet1!A1', 0, 0, 1, 1],
      ['Sheet1!C5:E14', 4, 2, 10, 3],
      ['Sheet1!AA1:AB2', 0, 26, 2, 2],
      ["'My Orders'!B2:C3", 1, 1, 2, 2],
      ['Sheet1!B:C', 0, 1, 1_048_576, 2],
      ['Sheet1!2:3', 1, 0, 2, 16_384],
      ['Sheet1!C3', 2, 2, 1, 1],
      ['Sheet1!B3:D5', 2, 1, 3, 3],
      ['Sheet1!B2:C6', 1, 1, 5, 2],
      ['Sheet1!B4:D4', 3, 1, 1, 3],
      ['Sheet1!D2:D4', 1, 3, 3, 1],
      ['Sheet1!B:B', 0, 1, 1_048_576, 1],
      ['Sheet1!3:3', 2, 0, 1, 16_384],
    ]);
  });

  test('invalid addresses and indexes fail the sync with InvalidArgument', async () => {
    const host = fresh();
    for (const make of [
      (s: Excel.Worksheet) => s.getRange('not an address'),
      (s: Excel.Worksheet) => s.getRangeByIndexes(0, 0, 0, 1),
      (s: Excel.Worksheet) => s.getRange('A1').getOffsetRange(-1, 0),
    ]) {
      const err = await failure(() => host.Excel.run(async (context) => void make(context.workbook.worksheets.getItem('Sheet1')).load('address')));
      expect(err.code).toBe('InvalidArgument');
    }
  });

  test('rows beyond the used range read as ""; values keep their types', async () => {
    const host = fresh();
    host.workbook.setValues('Sheet1', 'A1', [[1.5, true, 'text']]);
    await host.Excel.run(async (context) => {
      const r = context.workbook.worksheets.getItem('Sheet1').getRangeByIndexes(0, 0, 3, 3).load('values, valueTypes');
      await context.sync();
      expect(r.values).toEqual([
        [1.5, true, 'text'],
        ['', '', ''],
        ['', '', ''],
      ]);
      expect(r.valueTypes[0]).toEqual(['Double', 'Boolean', 'String']);
      expect(r.valueTypes[1]).toEqual(['Empty', 'Empty', 'Empty']);
    });
  });

  test('writing converts input like Excel: numeric text to numbers unless the cell is Text ("@"), ISO dates to serials, null leaves a cell', async () => {
    const host = fresh();
    host.workbook.setValues('Sheet1', 'E1', [['keep me']]);
    await host.Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem('Sheet1');
      sheet.getRange('A1:E1').values = [['0401', 'TRUE', '2024-01-15', '=SUM(1,2)', null]];
      const text = sheet.getRange('A2');
      text.numberFormat = [['@']];
      text.values = [['0401']];
      sheet.getRange('A3:B3').values = [['1,234.5', 'FOB']];
      await context.sync();
    });
    expect(host.workbook.getValues('Sheet1', 'A1:E3')).toEqual([
      [401, true, 45306, '=SUM(1,2)', 'keep me'],
      ['0401', '', '', '', ''],
      [1234.5, 'FOB', '', '', ''],
    ]);
    expect(host.workbook.getNumberFormat('Sheet1', 'C1')).toEqual([['yyyy-mm-dd']]);
  });

  test('text applies the number format (dates, fixed decimals) and General shows numbers as they are', async () => {
    const host = fresh();
    host.workbook.setValues('Sheet1', 'A1', [[45306, 45306, 45306, 1234.5, 0.125, 7, '']]);
    host.workbook.setNumberFormat('Sheet1', 'A1:F1', [['yyyy-mm-dd', 'dd/mm/yyyy', 'General', '#,##0.00', '0.0%', '@']]);
    await host.Excel.run(async (context) => {
      const r = context.workbook.worksheets.getItem('Sheet1').getRange('A1:G1').load('text, numberFormat, values');
      await context.sync();
      expect(r.text).toEqual([['2024-01-15', '15/01/2024', '45306', '1,234.50', '12.5%', '7', '']]);
      expect(r.numberFormat).toEqual([['yyyy-mm-dd', 'dd/mm/yyyy', 'General', '#,##0.00', '0.0%', '@', 'General']]);
      expect(r.values[0]![0]).toBe(45306);
    });
  });

  test('clear(), select() and getSelectedRange()', async () => {
    const host = fresh();
    host.workbook.setValues('Sheet1', 'A1', [[1, 2], [3, 4]]);
    host.workbook.setFormat('Sheet1', 'A1:B2', { fill: '#FF0000', bold: true });
    await host.Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem('Sheet1');
      sheet.getRange('A1:A2').clear('Contents');
      sheet.getRange('B1:B2').clear();
      sheet.getRange('B2').select();
      const sel = context.workbook.getSelectedRange().load('address');
      await context.sync();
      expect(sel.address).toBe('Sheet1!B2');
    });
    expect(host.workbook.getValues('Sheet1', 'A1:B2')).toEqual([['', ''], ['', '']]);
    expect(host.workbook.getFormat('Sheet1', 'A1:A2')).toEqual({ fill: '#FF0000', fontColor: '#000000', bold: true });
    expect(host.workbook.getFormat('Sheet1', 'B1:B2')).toEqual({ fill: null, fontColor: '#000000', bold: false });
    expect(host.workbook.getSelection()).toEqual({ sheet: 'Sheet1', address: 'B2' });
  });
});

describe('formatting', () => {
  test('fill, font, number formats and hidden columns read back through the host controls and through loads', async () => {
    const host = fresh();
    await host.Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem('Sheet1');
      const status = sheet.getRange('A2:A3');
      status.format.fill.color = '#ffc7ce';
      status.format.font.color = '#9C0006';
      status.format.font.bold = true;
      sheet.getRange('B2:B3').numberFormat = [['0.00'], ['yyyy-mm-dd']];
      sheet.getRangeByIndexes(0, 5, 1, 2).getEntireColumn().columnHidden = true;
      sheet.getRange('A1:C1').format.autofitColumns();
      await context.sync();

      const mixed = sheet.getRange('A1:A2').load('format/fill/color, format/font/bold');
      const hidden = sheet.getRange('F1:G1').load('columnHidden');
      const partly = sheet.getRange('E1:F1').load('columnHidden');
      await context.sync();
      expect(mixed.format.fill.color).toBeNull(); // A1 has no fill, A2 has: Excel reports null
      expect(mixed.format.font.bold).toBeNull();
      expect(hidden.columnHidden).toBe(true);
      expect(partly.columnHidden).toBeNull();
    });
    expect(host.workbook.getFormat('Sheet1', 'A2')).toEqual({ fill: '#FFC7CE', fontColor: '#9C0006', bold: true });
    expect(host.workbook.getFormat('Sheet1', 'A1')).toEqual({ fill: null, fontColor: '#000000', bold: false });
    expect(host.workbook.getNumberFormat('Sheet1', 'B2:B3')).toEqual([['0.00'], ['yyyy-mm-dd']]);
    expect([4, 5, 6, 7].map((c) => host.workbook.isColumnHidden('Sheet1', c))).toEqual([false, true, true, false]);

    await host.Excel.run(async (context) => {
      const r = context.workbook.worksheets.getItem('Sheet1').getRange('A2');
      r.format.fill.clear();
      await context.sync();
    });
    expect(host.workbook.getFormat('Sheet1', 'A2').fill).toBeNull();
  });

  test('an invalid colour fails with InvalidArgument', async () => {
    const host = fresh();
    const err = await failure(() =>
      host.Excel.run(async (context) => {
        context.workbook.worksheets.getItem('Sheet1').getRange('A1').format.fill.color = 'not-a-colour';
      }),
    );
    expect(err.code).toBe('InvalidArgument');
  });
});

describe('worksheets', () => {
  test('add, rename, very hidden, activate; the last visible sheet cannot be hidden', async () => {
    const host = fresh();
    await host.Excel.run(async (context) => {
      const snap = context.workbook.worksheets.add('ExportDesk_Snapshot');
      snap.getRange('A1').values = [['Line ID']];
      snap.visibility = host.Excel.SheetVisibility.veryHidden;
      const orders = context.workbook.worksheets.add('Orders');
      orders.activate();
      await context.sync();
    });
    expect(host.workbook.sheetNames()).toEqual(['Sheet1', 'ExportDesk_Snapshot', 'Orders']);
    expect(host.workbook.sheetVisibility('ExportDesk_Snapshot')).toBe('VeryHidden');
    expect(host.workbook.activeSheet()).toBe('Orders');

    const dup = await failure(() => host.Excel.run(async (context) => void context.workbook.worksheets.add('orders')));
    expect(dup.code).toBe('ItemAlreadyExists');

    host.workbook.deleteSheet('Sheet1');
    const last = await failure(() =>
      host.Excel.run(async (context) => {
        context.workbook.worksheets.getItem('Orders').visibility = 'Hidden';
      }),
    );
    expect(last.code).toBe('InvalidOperation');
  });

  test('a worksheet proxy stays bound to its sheet when the sheet is renamed between syncs', async () => {
    const host = fresh();
    await host.Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem('Sheet1');
      await context.sync();
      host.workbook.renameSheet('Sheet1', 'Renamed');
      const r = sheet.getRange('A1').load('address');
      sheet.load('name');
      await context.sync();
      expect(sheet.name).toBe('Renamed');
      expect(r.address).toBe('Renamed!A1');
    });
  });
});

describe('tables', () => {
  test('tables.add, getHeaderRowRange, getDataBodyRange, rows.add, rows.count', async () => {
    const host = fresh();
    host.workbook.setValues('Sheet1', 'A1', [['Ref', 'Qty'], ['SO-1', 5], ['SO-2', 7]]);
    await host.Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem('Sheet1');
      const table = sheet.tables.add('A1:B3', true);
      table.name = 'ExportDeskOrders';
      table.rows.add(undefined, [['SO-3', '9']]);
      const header = table.getHeaderRowRange().load('values, address');
      const body = table.getDataBodyRange().load('values, address, rowIndex');
      table.rows.load('count');
      await context.sync();
      expect(header.address).toBe('Sheet1!A1:B1');
      expect(header.values).toEqual([['Ref', 'Qty']]);
      expect(body.address).toBe('Sheet1!A2:B4');
      expect(body.rowIndex).toBe(1);
      expect(body.values).toEqual([['SO-1', 5], ['SO-2', 7], ['SO-3', 9]]);
      expect(table.rows.count).toBe(3);
    });
    expect(host.workbook.tables()).toEqual([{ name: 'ExportDeskOrders', sheet: 'Sheet1', address: 'A1:B4', headers: ['Ref', 'Qty'], rowCount: 3 }]);
  });

  test('a header-only table has one empty body row, which the first added row fills', async () => {
    const host = fresh();
    await host.Excel.run(async (context) => {
      const table = context.workbook.worksheets.getItem('Sheet1').tables.add('A1:C1', true);
      const fresh1 = table.getDataBodyRange().load('address');
      table.rows.load('count');
      await context.sync();
      expect(fresh1.address).toBe('Sheet1!A2:C2');
      expect(table.rows.count).toBe(1);
      table.rows.add(null as unknown as undefined, [[1, 2, 3], [4, 5, 6]]);
      const body = table.getDataBodyRange().load('values');
      await context.sync();
      expect(body.values).toEqual([[1, 2, 3], [4, 5, 6]]);
    });
    expect(host.workbook.tables()[0]).toMatchObject({ name: 'Table1', address: 'A1:C3', headers: ['Column1', 'Column2', 'Column3'] });
  });

  test('rows.add with the wrong column count fails with InvalidArgument', async () => {
    const host = fresh();
    host.workbook.addTable('Sheet1', 'A1:B2', { name: 'T' });
    const err = await failure(() =>
      host.Excel.run(async (context) => {
        context.workbook.tables.getItem('T').rows.add(undefined, [[1, 2, 3]]);
      }),
    );
    expect(err.code).toBe('InvalidArgument');
  });

  test('table.delete() removes the table and clears its cells; convertToRange() keeps the cells', async () => {
    const host = fresh();
    host.workbook.setValues('Sheet1', 'A1', [['H1', 'H2'], [1, 2]]);
    host.workbook.setValues('Sheet1', 'D1', [['K1', 'K2'], [3, 4]]);
    host.workbook.addTable('Sheet1', 'A1:B2', { name: 'Gone' });
    host.workbook.addTable('Sheet1', 'D1:E2', { name: 'Kept' });
    await host.Excel.run(async (context) => {
      context.workbook.tables.getItem('gone').delete(); // names are case-insensitive
      const range = context.workbook.tables.getItem('Kept').convertToRange().load('address');
      await context.sync();
      expect(range.address).toBe('Sheet1!D1:E2');
    });
    expect(host.workbook.tables()).toEqual([]);
    expect(host.workbook.getValues('Sheet1', 'A1:E2')).toEqual([
      ['', '', '', 'K1', 'K2'],
      ['', '', '', 3, 4],
    ]);
  });

  test('tables do not grow when cells below them are written through a range', async () => {
    const host = fresh();
    host.workbook.setValues('Sheet1', 'A1', [['H'], [1]]);
    host.workbook.addTable('Sheet1', 'A1:A2', { name: 'T' });
    await host.Excel.run(async (context) => {
      context.workbook.worksheets.getItem('Sheet1').getRange('A3').values = [[2]];
    });
    expect(host.workbook.tables()[0]!.address).toBe('A1:A2');
  });

  test('a missing table: getItem fails with ItemNotFound, getItemOrNullObject is null; overlapping tables are refused', async () => {
    const host = fresh();
    host.workbook.addTable('Sheet1', 'A1:B3', { name: 'T' });
    expect((await failure(() => host.Excel.run(async (context) => void context.workbook.tables.getItem('Other').load('name')))).code).toBe('ItemNotFound');
    const overlap = await failure(() => host.Excel.run(async (context) => void context.workbook.worksheets.getItem('Sheet1').tables.add('B2:C4', true)));
    expect(overlap.code).toBe('InvalidOperation');
  });

  test('table.resize needs ExcelApi 1.13: ApiNotFound at the call with the default 1.12, works with 1.13', async () => {
    const host = fresh();
    host.workbook.addTable('Sheet1', 'A1:B2', { name: 'T' });
    const err = await failure(() => host.Excel.run(async (context) => context.workbook.tables.getItem('T').resize('A1:C5')));
    expect(err.code).toBe('ApiNotFound');

    const newer = fresh({ excelApiVersion: '1.13' });
    newer.workbook.addTable('Sheet1', 'A1:B2', { name: 'T' });
    await newer.Excel.run(async (context) => context.workbook.tables.getItem('T').resize('A1:C5'));
    expect(newer.workbook.tables()[0]).toMatchObject({ address: 'A1:C5', headers: ['Column1', 'Column2', 'Column3'] });
  });

  test('ExcelApi 1.7 only: getRangeByIndexes works, getActiveCell exists, 1.8+ members refused', async () => {
    const host = fresh({ excelApiVersion: '1.7' });
    expect(host.Office.context.requirements.isSetSupported('ExcelApi', '1.7')).toBe(true);
    expect(host.Office.context.requirements.isSetSupported('ExcelApi', '1.8')).toBe(false);
    await host.Excel.run(async (context) => {
      context.workbook.worksheets.getItem('Sheet1').getRangeByIndexes(0, 0, 1, 1).values = [[1]];
      await context.sync();
    });
    const old = fresh({ excelApiVersion: '1.6' });
    expect((await failure(() => old.Excel.run(async (context) => void context.workbook.worksheets.getItem('Sheet1').getRangeByIndexes(0, 0, 1, 1)))).code).toBe(
      'ApiNotFound',
    );
  });
});

describe('less common members', () => {
  test('Range.delete shifts cells up; set() applies several properties; getCount returns a ClientResult', async () => {
    const host = fresh();
    host.workbook.setValues('Sheet1', 'A1', [['a'], ['b'], ['c'], ['d']]);
    await host.Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem('Sheet1');
      sheet.getRange('A2:A3').delete('Up');
      sheet.getRange('B1').set({ values: [['x']], format: { font: { bold: true } } });
      const count = context.workbook.worksheets.getCount();
      expect((await failure(() => count.value)).code).toBe('ValueNotLoaded');
      await context.sync();
      expect(count.value).toBe(1);
    });
    expect(host.workbook.getValues('Sheet1')).toEqual([['a', 'x'], ['d', '']]);
    expect(host.workbook.getFormat('Sheet1', 'B1').bold).toBe(true);
  });

  test('table columns by name, rows by index, and a column body range', async () => {
    const host = fresh();
    host.workbook.setValues('Sheet1', 'B2', [['Ref', 'Qty'], ['SO-1', 5], ['SO-2', 7]]);
    host.workbook.addTable('Sheet1', 'B2:C4', { name: 'T' });
    await host.Excel.run(async (context) => {
      const table = context.workbook.tables.getItem('T');
      const qty = table.columns.getItem('qty').load('name, index');
      const body = table.columns.getItem('Qty').getDataBodyRange().load('address, values');
      const row = table.rows.getItemAt(1).load('values, index');
      const cols = table.columns.load('items/name');
      const missing = table.columns.getItemOrNullObject('Nope');
      await context.sync();
      expect([qty.name, qty.index]).toEqual(['Qty', 1]);
      expect([body.address, body.values]).toEqual(['Sheet1!C3:C4', [[5], [7]]]);
      expect([row.index, row.values]).toEqual([1, [['SO-2', 7]]]);
      expect(cols.items.map((c) => c.name)).toEqual(['Ref', 'Qty']);
      expect(missing.isNullObject).toBe(true);
    });
  });
});

describe('settings', () => {
  test('round trip through settings.add / getItemOrNullObject across runs, visible to the host', async () => {
    const host = fresh();
    await host.Excel.run(async (context) => {
      context.workbook.settings.add('exportdesk.mapping', { Buyer: 'C', Qty: 7 });
      context.workbook.settings.add('exportdesk.version', '3');
      await context.sync();
    });
    const value = await host.Excel.run(async (context) => {
      const item = context.workbook.settings.getItemOrNullObject('exportdesk.mapping').load('value');
      const all = context.workbook.settings.load('items/key');
      await context.sync();
      expect(item.isNullObject).toBe(false);
      expect(all.items.map((s) => s.key)).toEqual(['exportdesk.mapping', 'exportdesk.version']);
      return item.value;
    });
    expect(value).toEqual({ Buyer: 'C', Qty: 7 });
    expect(host.workbook.settings()).toEqual({ 'exportdesk.mapping': { Buyer: 'C', Qty: 7 }, 'exportdesk.version': '3' });
  });
});

describe('Office global and installation', () => {
  test('Office.onReady resolves with Excel/PC; requirement sets up to ExcelApi 1.12', async () => {
    const host = fresh();
    const called: unknown[] = [];
    const info = await host.Office.onReady((i) => called.push(i));
    expect(info).toEqual({ host: 'Excel', platform: 'PC' });
    expect(info.host).toBe(host.Office.HostType.Excel);
    expect(called).toEqual([info]);
    const supported = (v: string) => host.Office.context.requirements.isSetSupported('ExcelApi', v);
    expect(['1.1', '1.7', '1.12'].map(supported)).toEqual([true, true, true]);
    expect(['1.13', '2.0'].map(supported)).toEqual([false, false]);
    expect(host.Office.context.requirements.isSetSupported('WordApi', '1.1')).toBe(false);
  });

  test('installFakeExcel sets Excel, Office, OfficeExtension and __fakeExcel on the target', async () => {
    const target: Record<string, any> = {};
    const host = installFakeExcel(target);
    expect(target.__fakeExcel).toBe(host);
    expect(target.Office).toBe(host.Office);
    await target.Excel.run(async (context: Excel.RequestContext) => {
      context.workbook.worksheets.getItem('Sheet1').getRange('A1').values = [['via global']];
      await context.sync();
    });
    expect(host.workbook.getValues('Sheet1', 'A1')).toEqual([['via global']]);
    expect(new target.OfficeExtension.Error({ code: 'X', message: 'y' })).toBeInstanceOf(FakeOfficeError);
  });

  test('the browser entry bundles without Node built-ins and installs the globals on window', async () => {
    const entry = fileURLToPath(new URL('./browser-entry.ts', import.meta.url));
    const out = await build({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'silent' });
    const code = out.outputFiles[0]!.text;
    expect(code).not.toMatch(/require\(|from "node:|process\.env/);
    const sandbox: Record<string, any> = {};
    sandbox.window = sandbox;
    vm.runInNewContext(code, sandbox);
    const values = await sandbox.Excel.run(async (context: Excel.RequestContext) => {
      const r = context.workbook.worksheets.getItem('Sheet1').getRange('A1:B1');
      r.values = [['in', 'browser']];
      r.load('values');
      await context.sync();
      return r.values;
    });
    expect(values).toEqual([['in', 'browser']]);
    expect(sandbox.__fakeExcel.syncCount).toBe(1);
    expect(readFileSync(entry, 'utf8')).toContain('installFakeExcel(window)');
  });
});

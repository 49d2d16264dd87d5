/** Excel.Workbook proxy: the root object of a request context. Its object is the WorkbookModel. */
import { FakeClientObject, type TypeSpec } from '../client-object';
import type { WorkbookModel } from '../model';
import type { FakeRequestContext } from '../request';
import { FakeRange } from './range';
import { FakeSettingCollection } from './settings';
import { FakeTableCollection, type TableScope } from './table';
import { FakeWorksheetCollection } from './worksheet';

const WORKBOOK_SPEC: TypeSpec = {
  name: 'Workbook',
  nav: ['worksheets', 'tables', 'settings'],
  props: {
    name: { since: '1.7', get: () => 'Book1.xlsx' },
  },
};

export class FakeWorkbook extends FakeClientObject {
  constructor(ctx: FakeRequestContext, model: WorkbookModel) {
    super(ctx, WORKBOOK_SPEC, { parent: null, label: 'Workbook', binding: model });
    Object.preventExtensions(this);
  }
  get name(): string {
    return this._get('name');
  }
  get worksheets(): FakeWorksheetCollection {
    return this._nav('worksheets', () => new FakeWorksheetCollection(this.context, this));
  }
  get tables(): FakeTableCollection {
    return this._nav('tables', () => new FakeTableCollection(this.context, { parent: this, label: 'Workbook.tables', resolve: (m: WorkbookModel) => ({ model: m }) satisfies TableScope }));
  }
  get settings(): FakeSettingCollection {
    this._api('settings', '1.4');
    return this._nav('settings', () => new FakeSettingCollection(this.context, this));
  }
  getSelectedRange(): FakeRange {
    return new FakeRange(this.context, this, 'Workbook.getSelectedRange', (m: WorkbookModel) => ({ sheet: m.activeSheet, rect: { ...m.activeSheet.selection } }));
  }
  getActiveCell(): FakeRange {
    this._api('getActiveCell', '1.7');
    return new FakeRange(this.context, this, 'Workbook.getActiveCell', (m: WorkbookModel) => {
      const sel = m.activeSheet.selection;
      return { sheet: m.activeSheet, rect: { row: sel.row, col: sel.col, rows: 1, cols: 1 } };
    });
  }
}

/**
 * Excel.SettingCollection / Excel.Setting (ExcelApi 1.4): key/value pairs saved in the document.
 * Values go through JSON like the document stores them, so what comes back is a JSON copy.
 */
import { bound, FakeClientObject, FakeClientResult, type ProxyOptions, type TypeSpec } from '../client-object';
import { errors } from '../errors';
import type { WorkbookModel } from '../model';
import type { ExecContext, FakeRequestContext } from '../request';

interface SettingBinding {
  model: WorkbookModel;
  key: string;
}

export function encodeSetting(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) throw errors.invalidArgument('setting value must be JSON-serialisable');
  return json;
}

function validKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) throw errors.invalidArgument('setting key must be a non-empty string');
  return key;
}

const SETTING_SPEC: TypeSpec = {
  name: 'Setting',
  check: (s: SettingBinding) => {
    if (!s.model.settings.has(s.key)) throw errors.itemNotFound('Setting (deleted)');
  },
  props: {
    key: { get: (s: SettingBinding) => s.key },
    value: {
      get: (s: SettingBinding) => JSON.parse(s.model.settings.get(s.key)!),
      set: (s: SettingBinding, v) => {
        s.model.settings.set(s.key, encodeSetting(v));
      },
    },
  },
};

export class FakeSetting extends FakeClientObject {
  constructor(ctx: FakeRequestContext, opts: ProxyOptions) {
    super(ctx, SETTING_SPEC, opts);
    Object.preventExtensions(this);
  }
  get key(): string {
    return this._get('key');
  }
  get value(): any {
    return this._get('value');
  }
  set value(v: any) {
    this._set('value', v);
  }
  delete(): void {
    this._call('delete', [], (s: SettingBinding) => {
      s.model.settings.delete(s.key);
    });
  }
}

const SETTINGS_SPEC: TypeSpec = {
  name: 'SettingCollection',
  props: {},
  collection: {
    item: SETTING_SPEC,
    list: (m: WorkbookModel) => [...m.settings.keys()].map((key) => ({ model: m, key })),
    make: (ctx, collection, s) => new FakeSetting(ctx, { parent: collection, label: 'SettingCollection.items', binding: s }),
  },
};

export class FakeSettingCollection extends FakeClientObject {
  constructor(ctx: FakeRequestContext, parent: FakeClientObject) {
    super(ctx, SETTINGS_SPEC, { parent, label: 'Workbook.settings', resolve: (m: WorkbookModel) => m });
    Object.preventExtensions(this);
  }
  get items(): FakeSetting[] {
    return this._get('items');
  }
  /** Adds or replaces the setting when the request runs. */
  add(key: string, value: unknown): FakeSetting {
    return new FakeSetting(this.context, {
      parent: this,
      label: 'SettingCollection.add',
      opKind: 'method',
      payload: [key, value ?? null],
      resolve: (m: WorkbookModel) => {
        m.settings.set(validKey(key), encodeSetting(value));
        return { model: m, key };
      },
    });
  }
  getItem(key: string): FakeSetting {
    return new FakeSetting(this.context, { parent: this, label: 'SettingCollection.getItem', resolve: (m: WorkbookModel) => (m.settings.has(key) ? { model: m, key } : null) });
  }
  getItemOrNullObject(key: string): FakeSetting {
    return new FakeSetting(this.context, {
      parent: this,
      label: 'SettingCollection.getItemOrNullObject',
      nullable: true,
      resolve: (m: WorkbookModel) => (m.settings.has(key) ? { model: m, key } : null),
    });
  }
  getCount(): FakeClientResult<number> {
    const result = new FakeClientResult<number>();
    this._queue('load', 'SettingCollection.getCount', undefined, (exec: ExecContext) => {
      const n = bound<WorkbookModel>(this, exec, 'getCount').settings.size;
      exec.commits.push(() => result._set(n));
    });
    return result;
  }
}

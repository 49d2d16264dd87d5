/**
 * The proxy-object machinery shared by every fake Excel class (the fake's OfficeExtension.ClientObject):
 *  - creating a proxy queues its instantiation; the object it stands for is found at the next sync
 *    (so `worksheets.getItem('Missing')` fails that sync with ItemNotFound even if nothing else uses it);
 *    once found, a proxy stays bound to that object (by identity, like Office.js binds by id);
 *  - `load()` queues a load; properties become readable only when the sync after it succeeds, and hold the
 *    value as of that sync (a snapshot) until loaded again; reading earlier throws PropertyNotLoaded;
 *  - setting a property queues the write and, as in Office.js, makes the value readable locally at once;
 *  - `*OrNullObject` proxies resolve to a null object instead of failing: `isNullObject` is readable after
 *    the sync, loads on a null object succeed without values, and any other use of it (setting, calling a
 *    method, getting a child object) fails that sync with InvalidObjectPath.
 */
import { errors } from './errors';
import { jsonBytes, type ExecContext, type FakeRequestContext, type Op, type OpKind } from './request';

export const STATE: unique symbol = Symbol.for('fakeExcel.proxyState');
export const NULL_OBJECT: unique symbol = Symbol.for('fakeExcel.nullObject');

export type Binding = unknown;
export type Resolver = (parent: any, exec: ExecContext) => Binding | null;

export interface PropSpec {
  /** Reads the property from the workbook (loading). Must return fresh arrays. */
  get?: (b: any, exec: ExecContext) => unknown;
  /** Applies a write at sync time. */
  set?: (b: any, value: unknown, exec: ExecContext) => void;
  /** ExcelApi requirement set version that introduced the property. */
  since?: string;
}

export interface TypeSpec {
  name: string;
  props: Record<string, PropSpec>;
  /** Navigation properties (child objects) usable in load paths such as 'format/fill/color'. */
  nav?: readonly string[];
  /** Throws when a previously found object no longer exists (deleted sheet or table). */
  check?: (b: any) => void;
  collection?: CollectionSpec;
}

export interface CollectionSpec {
  item: TypeSpec;
  list: (b: any, exec: ExecContext) => Binding[];
  make: (ctx: FakeRequestContext, collection: FakeClientObject, item: Binding) => FakeClientObject;
}

export interface ProxyOptions {
  parent: FakeClientObject | null;
  /** How the host finds the object from the parent's object at sync time. */
  resolve?: Resolver;
  /** "WorksheetCollection.getItem" — where errors are reported. */
  label: string;
  /** An *OrNullObject proxy: a missing object is a null object, not an error. */
  nullable?: boolean;
  /** Already bound (root objects, collection items built from a load). */
  binding?: Binding;
  /** For methods that create something (worksheets.add, tables.add, rows.add…): the creation is a write. */
  opKind?: OpKind;
  /** Arguments sent with the instantiation (counted in the request size). */
  payload?: unknown;
}

interface ProxyState {
  ctx: FakeRequestContext;
  spec: TypeSpec;
  parent: FakeClientObject | null;
  resolve: Resolver | null;
  label: string;
  nullable: boolean;
  /** undefined: not found yet; NULL_OBJECT: a null object. */
  binding: Binding | typeof NULL_OBJECT | undefined;
  /** Set when a sync that found the object succeeded: from then on isNullObject is readable. */
  nullKnown: boolean;
  loaded: Map<string, unknown>;
  children: Map<string, FakeClientObject>;
}

export function stateOf(p: FakeClientObject): ProxyState {
  return p[STATE];
}

/** Finds the object a proxy stands for (at sync time); NULL_OBJECT for a null object. */
export function bind(p: FakeClientObject, exec: ExecContext): Binding | typeof NULL_OBJECT {
  const s = p[STATE];
  const reveal = () => {
    if (!s.nullKnown) exec.commits.push(() => void (s.nullKnown = true));
  };
  if (s.binding !== undefined) {
    if (s.binding !== NULL_OBJECT) s.spec.check?.(s.binding);
    reveal();
    return s.binding;
  }
  let parentBinding: Binding = exec.model;
  if (s.parent) {
    parentBinding = bind(s.parent, exec);
    if (parentBinding === NULL_OBJECT) throw errors.invalidObjectPath(`${s.label} (called on a null object)`);
  }
  const found = s.resolve ? s.resolve(parentBinding, exec) : parentBinding;
  if (found === null || found === undefined) {
    if (!s.nullable) throw errors.itemNotFound(s.label);
    s.binding = NULL_OBJECT;
  } else {
    s.binding = found;
  }
  reveal();
  return s.binding;
}

/** Like bind, but the object must exist. */
export function bound<B = any>(p: FakeClientObject, exec: ExecContext, member: string): B {
  const b = bind(p, exec);
  if (b === NULL_OBJECT) throw errors.invalidObjectPath(`${p[STATE].spec.name}.${member} (on a null object)`);
  return b as B;
}

type LoadRequest = { all: boolean; paths: string[][] };

function splitList(s: string): string[][] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0)
    .map((x) => x.split('/').map((seg) => seg.trim()));
}

function parseLoadOption(option: unknown): LoadRequest {
  if (option === undefined || option === null) return { all: true, paths: [] };
  if (typeof option === 'string') {
    const paths = splitList(option);
    return { all: paths.some((p) => p.length === 1 && p[0] === '$all'), paths: paths.filter((p) => p[0] !== '$all' && p[0] !== '$none') };
  }
  if (Array.isArray(option)) {
    const paths = option.flatMap((o) => splitList(String(o)));
    return { all: false, paths };
  }
  if (typeof option === 'object') {
    const o = option as Record<string, unknown>;
    if ('select' in o || 'expand' in o) {
      const paths = typeof o.select === 'string' ? splitList(o.select) : [];
      const expand = typeof o.expand === 'string' ? splitList(o.expand) : [];
      return { all: paths.length === 0 && expand.length === 0, paths: [...paths, ...expand.map((p) => [...p, '$all'])] };
    }
    const paths: string[][] = [];
    let all = false;
    const walk = (obj: Record<string, unknown>, prefix: string[]) => {
      for (const [k, v] of Object.entries(obj)) {
        if (k === '$all') {
          if (v === true) {
            if (prefix.length === 0) all = true;
            else paths.push([...prefix, '$all']);
          }
        } else if (k === '$top' || k === '$skip') {
          continue;
        } else if (v === true) paths.push([...prefix, k]);
        else if (v && typeof v === 'object') walk(v as Record<string, unknown>, [...prefix, k]);
      }
    };
    walk(o, []);
    return { all, paths };
  }
  throw errors.invalidArgument(`load option ${String(option)}`);
}

export abstract class FakeClientObject {
  declare readonly [STATE]: ProxyState;

  constructor(ctx: FakeRequestContext, spec: TypeSpec, opts: ProxyOptions) {
    const state: ProxyState = {
      ctx,
      spec,
      parent: opts.parent,
      resolve: opts.resolve ?? null,
      label: opts.label,
      nullable: !!opts.nullable,
      binding: opts.binding,
      nullKnown: opts.binding !== undefined,
      loaded: new Map(),
      children: new Map(),
    };
    Object.defineProperty(this, STATE, { value: state, enumerable: false });
    if (opts.binding === undefined) {
      this._queue(opts.opKind ?? 'instantiate', opts.label, opts.payload, (exec) => {
        bind(this, exec);
      });
    }
  }

  get context(): any {
    return this[STATE].ctx;
  }

  /** Readable after the sync that found the object (no load needed, as in Office.js). */
  get isNullObject(): boolean {
    const s = this[STATE];
    if (!s.nullKnown) throw errors.propertyNotLoaded(s.spec.name, 'isNullObject');
    return s.binding === NULL_OBJECT;
  }

  /** @internal */
  protected _queue(kind: OpKind, label: string, payload: unknown, run: (exec: ExecContext) => void): void {
    const op: Op = payload === undefined ? { kind, label, run } : { kind, label, payload, run };
    this[STATE].ctx._queue(op);
  }

  /** @internal */
  protected _api(member: string, version: string | undefined): void {
    if (version) this[STATE].ctx._requireApi(`${this[STATE].spec.name}.${member}`, version);
  }

  /** @internal Reads a scalar property: only what a successful sync delivered (or what was set locally). */
  protected _get(name: string): any {
    const s = this[STATE];
    this._api(name, s.spec.props[name]?.since);
    if (s.loaded.has(name)) return s.loaded.get(name);
    if (s.nullKnown && s.binding === NULL_OBJECT) return undefined;
    throw errors.propertyNotLoaded(s.spec.name, name);
  }

  /** @internal Queues a property write; the value is readable locally right away (Office.js does the same). */
  protected _set(name: string, value: unknown): void {
    const s = this[STATE];
    const prop = s.spec.props[name];
    if (!prop?.set) throw errors.notImplemented(`setting ${s.spec.name}.${name}`);
    this._api(name, prop.since);
    s.loaded.set(name, value);
    this._queue('set', `${s.spec.name}.${name}`, value === undefined ? null : value, (exec) => {
      const b = bound(this, exec, name);
      prop.set!(b, value, exec);
    });
  }

  /** @internal Queues a method call that changes the workbook. */
  protected _call(name: string, args: unknown[], apply: (b: any, exec: ExecContext) => void, since?: string): void {
    this._api(name, since);
    this._queue('method', `${this[STATE].spec.name}.${name}`, args.length ? args : undefined, (exec) => {
      apply(bound(this, exec, name), exec);
    });
  }

  /** Office.js `set(properties)`: sets several properties (and those of child objects such as format/fill). */
  set(properties: Record<string, unknown>): void {
    const s = this[STATE];
    if (!properties || typeof properties !== 'object') throw errors.invalidArgument('set(properties)');
    for (const [k, v] of Object.entries(properties)) {
      if (s.spec.props[k]?.set) this._set(k, v);
      else if (s.spec.nav?.includes(k) && v && typeof v === 'object') ((this as any)[k] as FakeClientObject).set(v as Record<string, unknown>);
      else throw errors.notImplemented(`${s.spec.name}.set({ ${k} })`);
    }
  }

  /** @internal A navigation property object (format, fill, worksheet…), created once per proxy. */
  protected _nav<T extends FakeClientObject>(name: string, make: () => T): T {
    const children = this[STATE].children;
    let child = children.get(name) as T | undefined;
    if (!child) {
      child = make();
      children.set(name, child);
    }
    return child;
  }

  load(option?: unknown): this {
    const s = this[STATE];
    const req = parseLoadOption(option);
    const collection = s.spec.collection;
    const own = new Set<string>();
    const itemProps = new Set<string>();
    let itemAll = false;
    const navLoads = new Map<string, string[][]>();

    const addOwn = (spec: TypeSpec, target: Set<string>, path: string[], where: string) => {
      const [head, ...rest] = path;
      if (head === undefined) return;
      if (head === '$all') {
        for (const k of Object.keys(spec.props)) if (spec.props[k]!.get) target.add(k);
        return;
      }
      if (rest.length === 0 && spec.props[head]?.get) {
        target.add(head);
        return;
      }
      if (target === own && spec.nav?.includes(head)) {
        const list = navLoads.get(head) ?? [];
        list.push(rest.length ? rest : ['$all']);
        navLoads.set(head, list);
        return;
      }
      throw errors.notImplemented(`${where}.load('${path.join('/')}')`);
    };

    if (collection) {
      if (req.all) itemAll = true;
      for (const path of req.paths) {
        if (path[0] === 'items') {
          if (path.length === 1) itemAll = true;
          else addOwn(collection.item, itemProps, path.slice(1), `${s.spec.name}.items`);
        } else if (path.length === 1 && s.spec.props[path[0]!]?.get) {
          own.add(path[0]!);
        } else if (path[0] === '$all') {
          itemAll = true;
        } else {
          addOwn(collection.item, itemProps, path, `${s.spec.name}.items`);
        }
      }
      if (itemAll) for (const k of Object.keys(collection.item.props)) if (collection.item.props[k]!.get) itemProps.add(k);
    } else {
      if (req.all) for (const k of Object.keys(s.spec.props)) if (s.spec.props[k]!.get) own.add(k);
      for (const path of req.paths) addOwn(s.spec, own, path, s.spec.name);
    }

    for (const name of own) this._api(name, s.spec.props[name]!.since);
    for (const [nav, paths] of navLoads) {
      const child = (this as any)[nav] as FakeClientObject;
      child.load(paths.map((p) => p.join('/')).join(','));
    }
    const loadItems = !!collection && (itemProps.size > 0 || itemAll);
    if (own.size === 0 && !loadItems && navLoads.size > 0) return this;

    this._queue('load', `${s.spec.name}.load`, undefined, (exec) => {
      const b = bind(this, exec);
      if (b === NULL_OBJECT) return;
      const snapshot: Array<[string, unknown]> = [];
      for (const name of own) snapshot.push([name, s.spec.props[name]!.get!(b, exec)]);
      let items: Array<{ binding: Binding; values: Array<[string, unknown]> }> | null = null;
      if (collection && loadItems) {
        items = collection.list(b, exec).map((ib) => ({
          binding: ib,
          values: [...itemProps].map((name) => [name, collection.item.props[name]!.get!(ib, exec)] as [string, unknown]),
        }));
      }
      exec.responseBytes += jsonBytes({ own: snapshot, items: items?.map((i) => i.values) ?? null });
      exec.commits.push(() => {
        for (const [name, value] of snapshot) s.loaded.set(name, value);
        if (collection && items) {
          s.loaded.set(
            'items',
            items.map((it) => {
              const proxy = collection.make(s.ctx, this, it.binding);
              for (const [name, value] of it.values) proxy[STATE].loaded.set(name, value);
              return proxy;
            }),
          );
        }
      });
    });
    return this;
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of this[STATE].loaded) {
      out[k] = Array.isArray(v) && v[0] instanceof FakeClientObject ? v.map((x: FakeClientObject) => x.toJSON()) : v;
    }
    return out;
  }
}

/** Proxy classes are sealed so that assigning a property the fake does not implement throws a TypeError. */
export function sealed<T extends object>(obj: T): T {
  return Object.preventExtensions(obj);
}

/** OfficeExtension.ClientResult: `value` readable after the sync. */
export class FakeClientResult<T> {
  private _loaded = false;
  private _value: T | undefined;

  /** @internal */
  _set(value: T): void {
    this._loaded = true;
    this._value = value;
  }

  get value(): T {
    if (!this._loaded) throw errors.valueNotLoaded();
    return this._value as T;
  }
}

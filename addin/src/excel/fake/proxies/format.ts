/** Range.format, format.fill and format.font proxies. Their object is the range's ({ sheet, rect }). */
import { FakeClientObject, type TypeSpec } from '../client-object';
import { errors } from '../errors';
import { DEFAULT_FONT_COLOR, DEFAULT_ROW_HEIGHT, NO_FILL_COLOR } from '../model';
import type { FakeRequestContext } from '../request';
import type { RangeBinding } from './range';

const NAMED_COLORS: Record<string, string> = {
  black: '#000000',
  white: '#FFFFFF',
  red: '#FF0000',
  green: '#008000',
  lime: '#00FF00',
  blue: '#0000FF',
  yellow: '#FFFF00',
  orange: '#FFA500',
  gray: '#808080',
  grey: '#808080',
  lightgray: '#D3D3D3',
  lightgrey: '#D3D3D3',
  lightgreen: '#90EE90',
  lightblue: '#ADD8E6',
  lightyellow: '#FFFFE0',
  pink: '#FFC0CB',
  purple: '#800080',
  navy: '#000080',
  darkred: '#8B0000',
  darkgreen: '#006400',
};

/** Excel stores "#RRGGBB" (reported in upper case) or an HTML colour name; anything else is InvalidArgument. */
export function normalizeColor(input: unknown): string {
  if (typeof input !== 'string') throw errors.invalidArgument(`color ${JSON.stringify(input)}`);
  const hex = /^#([0-9a-fA-F]{6})$/.exec(input.trim());
  if (hex) return `#${hex[1]!.toUpperCase()}`;
  const named = NAMED_COLORS[input.trim().toLowerCase()];
  if (named) return named;
  throw errors.invalidArgument(`color ${JSON.stringify(input)} (the fake host accepts #RRGGBB and common HTML colour names)`);
}

function bool(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') throw errors.invalidArgument(`${what} must be a boolean`);
  return v;
}

const FILL_SPEC: TypeSpec = {
  name: 'RangeFill',
  props: {
    color: {
      get: (b: RangeBinding) => b.sheet.uniformFormat(b.rect, (c) => c.fill, NO_FILL_COLOR),
      set: (b: RangeBinding, v) => b.sheet.writeFormat(b.rect, { fill: normalizeColor(v) }),
    },
  },
};

export class FakeRangeFill extends FakeClientObject {
  constructor(ctx: FakeRequestContext, parent: FakeRangeFormat) {
    super(ctx, FILL_SPEC, { parent, label: 'RangeFormat.fill', resolve: (b) => b });
    Object.preventExtensions(this);
  }
  get color(): string {
    return this._get('color');
  }
  set color(v: string) {
    this._set('color', v);
  }
  clear(): void {
    this._call('clear', [], (b: RangeBinding) => b.sheet.writeFormat(b.rect, { fill: undefined }));
  }
}

const FONT_SPEC: TypeSpec = {
  name: 'RangeFont',
  props: {
    color: {
      get: (b: RangeBinding) => b.sheet.uniformFormat(b.rect, (c) => c.font, DEFAULT_FONT_COLOR),
      set: (b: RangeBinding, v) => {
        const color = normalizeColor(v);
        b.sheet.writeFormat(b.rect, { font: color === DEFAULT_FONT_COLOR ? undefined : color });
      },
    },
    bold: {
      get: (b: RangeBinding) => b.sheet.uniformFormat(b.rect, (c) => c.bold, false),
      set: (b: RangeBinding, v) => b.sheet.writeFormat(b.rect, { bold: bool(v, 'bold') || undefined }),
    },
    italic: {
      get: (b: RangeBinding) => b.sheet.uniformFormat(b.rect, (c) => c.italic, false),
      set: (b: RangeBinding, v) => b.sheet.writeFormat(b.rect, { italic: bool(v, 'italic') || undefined }),
    },
  },
};

export class FakeRangeFont extends FakeClientObject {
  constructor(ctx: FakeRequestContext, parent: FakeRangeFormat) {
    super(ctx, FONT_SPEC, { parent, label: 'RangeFormat.font', resolve: (b) => b });
    Object.preventExtensions(this);
  }
  get color(): string {
    return this._get('color');
  }
  set color(v: string) {
    this._set('color', v);
  }
  get bold(): boolean {
    return this._get('bold');
  }
  set bold(v: boolean) {
    this._set('bold', v);
  }
  get italic(): boolean {
    return this._get('italic');
  }
  set italic(v: boolean) {
    this._set('italic', v);
  }
}

function uniformOver(indices: number, start: number, read: (i: number) => number): number | null {
  const first = read(start);
  for (let i = start + 1; i < start + indices; i++) if (read(i) !== first) return null;
  return first;
}

const FORMAT_SPEC: TypeSpec = {
  name: 'RangeFormat',
  nav: ['fill', 'font'],
  props: {
    columnWidth: {
      since: '1.2',
      get: (b: RangeBinding) => uniformOver(Math.min(b.rect.cols, 16_384), b.rect.col, (c) => b.sheet.columnWidth(c)),
      set: (b: RangeBinding, v) => {
        if (typeof v !== 'number' || !(v >= 0)) throw errors.invalidArgument('columnWidth must be a non-negative number');
        for (let c = b.rect.col; c < b.rect.col + b.rect.cols; c++) b.sheet.columnWidths.set(c, v);
      },
    },
    rowHeight: {
      since: '1.2',
      get: (b: RangeBinding) =>
        b.rect.rows > 100_000 ? null : uniformOver(b.rect.rows, b.rect.row, (r) => b.sheet.rowHeights.get(r) ?? DEFAULT_ROW_HEIGHT),
      set: (b: RangeBinding, v) => {
        if (typeof v !== 'number' || !(v >= 0)) throw errors.invalidArgument('rowHeight must be a non-negative number');
        for (let r = b.rect.row; r < b.rect.row + b.rect.rows; r++) b.sheet.rowHeights.set(r, v);
      },
    },
  },
};

export class FakeRangeFormat extends FakeClientObject {
  constructor(ctx: FakeRequestContext, parent: FakeClientObject) {
    super(ctx, FORMAT_SPEC, { parent, label: 'Range.format', resolve: (b) => b });
    Object.preventExtensions(this);
  }
  get fill(): FakeRangeFill {
    return this._nav('fill', () => new FakeRangeFill(this.context, this));
  }
  get font(): FakeRangeFont {
    return this._nav('font', () => new FakeRangeFont(this.context, this));
  }
  get columnWidth(): number {
    return this._get('columnWidth');
  }
  set columnWidth(v: number) {
    this._set('columnWidth', v);
  }
  get rowHeight(): number {
    return this._get('rowHeight');
  }
  set rowHeight(v: number) {
    this._set('rowHeight', v);
  }
  /** Queued like any write; the fake host has no text metrics, so widths do not change. */
  autofitColumns(): void {
    this._call('autofitColumns', [], () => undefined, '1.2');
  }
  autofitRows(): void {
    this._call('autofitRows', [], () => undefined, '1.2');
  }
}

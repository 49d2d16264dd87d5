/**
 * A1 addresses: parsing ("A1", "$A$1:C10", "B:B", "3:5", "'My Sheet'!A1:B2") and formatting the way
 * Excel reports `Range.address` ("Sheet1!A1:C3", "'My Sheet'!B:B", "Sheet1!3:3").
 * Rectangles are 0-based, like `getRangeByIndexes`.
 */
import { errors } from './errors';

export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;

export interface Rect {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

export interface ParsedAddress {
  sheet?: string;
  rect: Rect;
}

export function columnLetters(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_COLUMNS) throw errors.invalidArgument(`column index ${index}`);
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

export function columnIndex(letters: string): number {
  const up = letters.toUpperCase();
  if (!/^[A-Z]{1,3}$/.test(up)) return -1;
  let n = 0;
  for (const ch of up) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1 < MAX_COLUMNS ? n - 1 : -1;
}

/** Excel quotes a sheet name in an address unless it is a plain identifier that cannot be read as a cell reference. */
export function quoteSheetName(name: string): string {
  const plain = /^[\p{L}_][\p{L}\p{N}_.]*$/u.test(name) && !looksLikeReference(name);
  return plain ? name : `'${name.replace(/'/g, "''")}'`;
}

function looksLikeReference(name: string): boolean {
  return /^[A-Za-z]{1,3}\d+$/.test(name) || /^[Rr]\d*([Cc]\d*)?$/.test(name) || /^[Cc]\d*$/.test(name);
}

export function formatRect(rect: Rect): string {
  const wholeColumns = rect.row === 0 && rect.rows === MAX_ROWS;
  const wholeRows = rect.col === 0 && rect.cols === MAX_COLUMNS;
  if (wholeRows) return `${rect.row + 1}:${rect.row + rect.rows}`;
  if (wholeColumns) return `${columnLetters(rect.col)}:${columnLetters(rect.col + rect.cols - 1)}`;
  const first = `${columnLetters(rect.col)}${rect.row + 1}`;
  if (rect.rows === 1 && rect.cols === 1) return first;
  return `${first}:${columnLetters(rect.col + rect.cols - 1)}${rect.row + rect.rows}`;
}

export function formatAddress(sheetName: string, rect: Rect): string {
  return `${quoteSheetName(sheetName)}!${formatRect(rect)}`;
}

type Part = { kind: 'cell'; row: number; col: number } | { kind: 'col'; col: number } | { kind: 'row'; row: number };

function parsePart(text: string): Part | null {
  const t = text.trim();
  let m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(t);
  if (m) {
    const col = columnIndex(m[1]!);
    const row = Number(m[2]) - 1;
    if (col < 0 || row < 0 || row >= MAX_ROWS) return null;
    return { kind: 'cell', row, col };
  }
  m = /^\$?([A-Za-z]{1,3})$/.exec(t);
  if (m) {
    const col = columnIndex(m[1]!);
    return col < 0 ? null : { kind: 'col', col };
  }
  m = /^\$?(\d{1,7})$/.exec(t);
  if (m) {
    const row = Number(m[1]) - 1;
    return row < 0 || row >= MAX_ROWS ? null : { kind: 'row', row };
  }
  return null;
}

/** Splits "Sheet!A1" / "'It''s'!A1" into sheet and reference; no sheet when there is no '!'. */
function splitSheet(input: string): { sheet?: string; ref: string } | null {
  const bang = input.lastIndexOf('!');
  if (bang < 0) return { ref: input };
  const sheetPart = input.slice(0, bang).trim();
  const ref = input.slice(bang + 1);
  if (sheetPart.startsWith("'")) {
    if (!sheetPart.endsWith("'") || sheetPart.length < 3) return null;
    const inner = sheetPart.slice(1, -1);
    if (inner.replace(/''/g, '').includes("'")) return null;
    return { sheet: inner.replace(/''/g, "'"), ref };
  }
  if (!sheetPart) return null;
  return { sheet: sheetPart, ref };
}

/** Parses an A1 address; throws InvalidArgument (as Excel does at sync) when it is not one. */
export function parseAddress(input: string): ParsedAddress {
  if (typeof input !== 'string' || input.trim() === '') throw errors.invalidArgument(`address ${JSON.stringify(input)}`);
  const split = splitSheet(input.trim());
  if (!split) throw errors.invalidArgument(`address ${JSON.stringify(input)}`);
  const pieces = split.ref.split(':');
  if (pieces.length > 2) throw errors.invalidArgument(`address ${JSON.stringify(input)}`);
  const a = parsePart(pieces[0]!);
  const b = pieces.length === 2 ? parsePart(pieces[1]!) : a;
  if (!a || !b || a.kind !== b.kind || (pieces.length === 1 && a.kind !== 'cell')) {
    throw errors.invalidArgument(`address ${JSON.stringify(input)} (named ranges are not supported by the fake host)`);
  }
  let rect: Rect;
  if (a.kind === 'cell' && b.kind === 'cell') {
    const row = Math.min(a.row, b.row);
    const col = Math.min(a.col, b.col);
    rect = { row, col, rows: Math.abs(a.row - b.row) + 1, cols: Math.abs(a.col - b.col) + 1 };
  } else if (a.kind === 'col' && b.kind === 'col') {
    const col = Math.min(a.col, b.col);
    rect = { row: 0, col, rows: MAX_ROWS, cols: Math.abs(a.col - b.col) + 1 };
  } else if (a.kind === 'row' && b.kind === 'row') {
    const row = Math.min(a.row, b.row);
    rect = { row, col: 0, rows: Math.abs(a.row - b.row) + 1, cols: MAX_COLUMNS };
  } else {
    throw errors.invalidArgument(`address ${JSON.stringify(input)}`);
  }
  return split.sheet === undefined ? { rect } : { sheet: split.sheet, rect };
}

export function rectFromIndexes(row: number, col: number, rows: number, cols: number): Rect {
  const ints = [row, col, rows, cols].every((n) => Number.isInteger(n));
  if (!ints || row < 0 || col < 0 || rows < 1 || cols < 1 || row + rows > MAX_ROWS || col + cols > MAX_COLUMNS) {
    throw errors.invalidArgument(`indexes (${row}, ${col}, ${rows}, ${cols})`);
  }
  return { row, col, rows, cols };
}

export function cellCount(rect: Rect): number {
  return rect.rows * rect.cols;
}

export function intersect(a: Rect, b: Rect): Rect | null {
  const row = Math.max(a.row, b.row);
  const col = Math.max(a.col, b.col);
  const rowEnd = Math.min(a.row + a.rows, b.row + b.rows);
  const colEnd = Math.min(a.col + a.cols, b.col + b.cols);
  if (rowEnd <= row || colEnd <= col) return null;
  return { row, col, rows: rowEnd - row, cols: colEnd - col };
}

export function boundingRect(a: Rect, b: Rect): Rect {
  const row = Math.min(a.row, b.row);
  const col = Math.min(a.col, b.col);
  const rowEnd = Math.max(a.row + a.rows, b.row + b.rows);
  const colEnd = Math.max(a.col + a.cols, b.col + b.cols);
  return { row, col, rows: rowEnd - row, cols: colEnd - col };
}

export function sameRect(a: Rect, b: Rect): boolean {
  return a.row === b.row && a.col === b.col && a.rows === b.rows && a.cols === b.cols;
}

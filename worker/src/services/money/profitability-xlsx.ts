/**
 * The profitability of an order as an .xlsx sheet (exceljs, `writeBuffer` only, so it runs on Workers too): the
 * same figures as the JSON, amounts as numbers with their currency's decimals (text only when a number could not
 * hold them exactly), each line with the rate, its date and how it was found. No formulas: the sheet shows the
 * service's exact figures, and a reader's own SUM over a column gives the same totals to the minor unit.
 */
import ExcelJS from 'exceljs';
import type { Cell, Worksheet } from 'exceljs';
import type { Money } from '../../../../shared/contracts/common.js';
import type { CostCategory, Profitability, RateUsed } from '../../../../shared/contracts/fx.js';
import { COST_CATEGORIES } from '../../../../shared/contracts/fx.js';
import { currencyExponent } from '../../../../shared/domain/currency.js';
import { exactNumber, font, numberFormat, setText } from '../../documents/render/xlsx/cells.js';
import { withFixedTimestamps } from '../../documents/render/zip.js';
import { COST_CATEGORY_LABELS } from './costs.js';

/** Number format of FX rates: at least 2 and up to 10 decimals. */
const RATE_FORMAT = '0.00########';
/** Number format of an amount in `currency` (#,##0.00 for INR, #,##0 for JPY, #,##0.000 for KWD). */
const amountFormat = (currency: string) => numberFormat(currencyExponent(currency));

const HEADERS = ['Section', 'Item', 'Date', 'Currency', 'Amount', 'Rate', 'Rate date', 'Rate basis', 'BASE', 'At booked rate (BASE)', 'FX gain / loss (BASE)'];
const WIDTHS = [12, 46, 12, 9, 16, 14, 12, 10, 18, 20, 20];
const COL = { section: 1, item: 2, date: 3, currency: 4, amount: 5, rate: 6, rateDate: 7, basis: 8, base: 9, booked: 10, gain: 11 } as const;

/** A Money written as a number in its currency's format (or as text when no double holds it exactly). */
function setMoney(cell: Cell, m: Money | null): void {
  if (!m) {
    setText(cell, 'n/a');
    cell.alignment = { horizontal: 'right' };
    return;
  }
  const negative = m.amount.startsWith('-');
  const n = exactNumber(negative ? m.amount.slice(1) : m.amount);
  if (n === null) {
    setText(cell, m.amount);
    cell.alignment = { horizontal: 'right' };
    return;
  }
  cell.value = negative ? -n : n;
  cell.numFmt = amountFormat(m.currency);
}

function setRate(ws: Worksheet, row: number, rate: RateUsed | null): void {
  if (!rate) return;
  const n = exactNumber(rate.rate);
  const cell = ws.getCell(row, COL.rate);
  if (n === null) setText(cell, rate.rate);
  else {
    cell.value = n;
    cell.numFmt = RATE_FORMAT;
  }
  setText(ws.getCell(row, COL.rateDate), rate.date);
  setText(ws.getCell(row, COL.basis), rate.derived);
}

const rateText = (r: RateUsed | null) => (r ? `${r.rate} ${r.to} per ${r.from} (${r.date}, ${r.derived})` : 'not found');

export async function profitabilityXlsx(p: Profitability): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const at = new Date(`${p.asOf}T00:00:00Z`);
  wb.creator = 'ExportDesk';
  wb.created = at;
  wb.modified = at;
  const ws = wb.addWorksheet('Profitability');
  ws.columns = WIDTHS.map((width) => ({ width }));
  let row = 1;
  const text = (r: number, c: number, value: string, bold = false) => {
    const cell = ws.getCell(r, c);
    setText(cell, value);
    if (bold) cell.font = font(10, { bold: true });
    return cell;
  };

  text(row, 1, `Order profitability: ${p.reference}`).font = font(14, { bold: true });
  row++;
  text(row++, 1, `Amounts in ${p.baseCurrency} (the base currency) unless a currency is shown; as of ${p.asOf}.`);
  row++;
  const facts: [string, string][] = [
    ['Order', `${p.reference} (${p.status})`],
    ['Order currency', p.currency],
    ['Base currency', p.baseCurrency],
    ['Order date', `${p.orderDate} (${p.orderDateBasis === 'confirmed' ? 'confirmed' : 'created; not confirmed yet'})`],
    ['Booked rate', rateText(p.bookedRate)],
    ["Today's rate", p.todayRate ? rateText(p.todayRate) : p.revenue.outstanding.minor === 0 ? 'not needed (nothing outstanding)' : 'not found'],
    ['Margin %', p.margin.percent === null ? 'n/a' : `${p.margin.percent}%`],
  ];
  for (const [k, v] of facts) {
    text(row, 1, k, true);
    text(row++, 2, v);
  }
  row = 13;
  HEADERS.forEach((h, i) => text(row, i + 1, h.replace('BASE', p.baseCurrency), true));
  row++;

  interface Line {
    section: string;
    item: string;
    date?: string;
    amount?: Money;
    rate?: RateUsed | null;
    base?: Money | null;
    booked?: Money | null;
    gain?: Money | null;
    bold?: boolean;
  }
  const put = (l: Line) => {
    text(row, COL.section, l.section, l.bold);
    text(row, COL.item, l.item, l.bold);
    if (l.date) text(row, COL.date, l.date);
    if (l.amount) {
      text(row, COL.currency, l.amount.currency);
      setMoney(ws.getCell(row, COL.amount), l.amount);
    }
    if (l.rate !== undefined) setRate(ws, row, l.rate);
    if (l.base !== undefined) setMoney(ws.getCell(row, COL.base), l.base);
    if (l.booked !== undefined) setMoney(ws.getCell(row, COL.booked), l.booked);
    if (l.gain !== undefined) setMoney(ws.getCell(row, COL.gain), l.gain);
    if (l.bold) for (const c of [COL.base, COL.booked, COL.gain]) ws.getCell(row, c).font = font(10, { bold: true });
    row++;
  };

  const rv = p.revenue;
  put({ section: 'Revenue', item: 'Order total', date: p.orderDate, amount: rv.orderTotal, rate: p.bookedRate, booked: rv.orderTotalAtBookedRate });
  for (const r of p.receipts) put({ section: 'Revenue', item: `Receipt ${r.bankReference}`, date: r.valueDate, amount: r.amount, rate: r.rate, base: r.atRealisedRate, booked: r.atBookedRate, gain: r.fxGain });
  if (rv.outstanding.minor !== 0 || !p.receipts.length) {
    put({ section: 'Revenue', item: 'Outstanding (valued today)', date: p.asOf, amount: rv.outstanding, rate: p.todayRate, base: rv.outstandingAtTodayRate, booked: rv.outstandingAtBookedRate, gain: p.fx.unrealisedGain });
  }
  for (const w of p.writeOffs) put({ section: 'Revenue', item: `Written off${w.note ? `: ${w.note}` : ''}`, date: w.date, amount: w.amount, rate: p.bookedRate, booked: w.atBookedRate });
  if (rv.conversionRounding && rv.conversionRounding.minor !== 0) put({ section: 'Revenue', item: 'Rounding of the parts at the booked rate', booked: rv.conversionRounding });
  put({ section: 'Revenue', item: 'Revenue', base: rv.atRealisedRate, booked: rv.atBookedRate, gain: p.fx.total, bold: true });
  row++;

  for (const l of p.costs.lines) {
    put({ section: 'Costs', item: `${COST_CATEGORY_LABELS[l.category]}: ${l.description}${l.supplier ? ` (${l.supplier})` : ''}`, date: l.date, amount: l.amount, rate: l.rate, base: l.base });
  }
  for (const c of COST_CATEGORIES as readonly CostCategory[]) put({ section: 'Costs', item: `Subtotal ${COST_CATEGORY_LABELS[c].toLowerCase()}`, base: p.costs.byCategory[c] });
  put({ section: 'Costs', item: 'Total costs', base: p.costs.total, bold: true });
  row++;

  put({ section: 'Summary', item: 'Revenue at realised rates', base: rv.atRealisedRate });
  put({ section: 'Summary', item: 'Revenue at the booked rate', base: rv.atBookedRate });
  put({ section: 'Summary', item: 'Realised FX gain / loss', base: p.fx.realisedGain });
  put({ section: 'Summary', item: 'Unrealised FX gain / loss', base: p.fx.unrealisedGain });
  put({ section: 'Summary', item: 'Total costs', base: p.costs.total });
  put({ section: 'Summary', item: 'Margin at realised rates', base: p.margin.atRealisedRate, bold: true });
  put({ section: 'Summary', item: 'Margin at the booked rate', base: p.margin.atBookedRate });
  text(row, COL.section, 'Summary');
  text(row, COL.item, 'Margin % (realised)');
  const pct = ws.getCell(row, COL.base);
  if (p.margin.percent === null) setText(pct, 'n/a');
  else {
    pct.value = Number(p.margin.percent);
    pct.numFmt = '0.00';
  }
  row += 2;

  if (p.problems.length) {
    text(row++, 1, 'Problems', true);
    for (const pr of p.problems) text(row++, 2, pr.message);
  }

  const buffer = await wb.xlsx.writeBuffer();
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer as ArrayBuffer);
  return withFixedTimestamps(bytes, p.asOf);
}

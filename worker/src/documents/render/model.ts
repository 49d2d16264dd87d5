/**
 * The format-neutral document model: the layout's blocks resolved against the snapshot into headings, text
 * items and a goods table. The Word and Excel writers only draw this model, so both formats of a document
 * carry the same words and numbers.
 */
import { amountInWords } from '../../../../shared/domain/amount-in-words.js';
import { type Block, type DocumentLayout, fillPlaceholders, type LayoutPlaceholder } from '../../../../shared/documents/layout.js';
import type { PartySnapshot } from '../../../../shared/documents/snapshot.js';
import { type TableCell, type TableColumn, lineCells, tableColumns, totalCells } from './columns.js';
import { type RenderContext, fieldValue, paidByLetterOfCredit, placeholderValues } from './fields.js';
import { addressLines, cleanText, formatDate } from './format.js';
import { decodeLogo, type Logo } from './logo.js';
import type { DocumentStatus, RenderInput } from './types.js';

/** One item of a text block. */
export type TextItem =
  /** "Label: value" (value lines after the first continue under it). */
  | { kind: 'field'; label: string; values: string[] }
  | { kind: 'line'; text: string; bold?: boolean }
  /** Blank space (room for a signature). */
  | { kind: 'space' };

export interface TextBlockModel {
  type: 'text';
  heading?: string;
  items: TextItem[];
  align: 'left' | 'right';
}

export interface TableBlockModel {
  type: 'table';
  heading?: string;
  columns: TableColumn[];
  rows: TableCell[][];
  totals: TableCell[] | null;
  notes: string[];
}

export type BlockModel = TextBlockModel | TableBlockModel;

export interface DocumentModel {
  kind: RenderInput['kind'];
  title: string;
  subtitle?: string;
  /** Set on drafts only. */
  draft: { mark: string; banner: string } | null;
  /** Rows of one or two blocks; a table is alone in its row. */
  rows: BlockModel[][];
  footer?: string;
  logo: Logo | null;
  page: DocumentLayout['page'];
  sheetName: string;
  currency: string;
  meta: {
    title: string;
    subject: string;
    /** The exporter: the document's author. */
    creator: string;
    keywords: string;
    /** ISO date of the document; every timestamp in the file is this date at 00:00 UTC. */
    date: string;
    status: DocumentStatus;
  };
}

const DASH = '—';

function partyItems(party: PartySnapshot, block: Extract<Block, { type: 'party' }>): TextItem[] {
  const items: TextItem[] = [{ kind: 'line', text: cleanText(party.name), bold: true }];
  for (const line of addressLines(party.address, party.countryName)) items.push({ kind: 'line', text: cleanText(line) });
  if (block.taxIds) for (const t of party.taxIds) items.push({ kind: 'field', label: cleanText(t.type), values: [cleanText(t.value)] });
  if (block.contacts) {
    for (const c of party.contacts) {
      items.push({ kind: 'field', label: 'Contact', values: [cleanText([c.name, c.phone, c.email].filter(Boolean).join(', '))] });
    }
  }
  return items;
}

function exporterItems(ctx: RenderContext, block: Extract<Block, { type: 'party' }>): TextItem[] {
  const e = ctx.snapshot.exporter;
  const items: TextItem[] = [{ kind: 'line', text: cleanText(e.legalName), bold: true }];
  for (const line of addressLines(e.address)) items.push({ kind: 'line', text: cleanText(line) });
  for (const d of block.details) {
    switch (d) {
      case 'iec':
        items.push({ kind: 'field', label: 'IEC', values: [e.iec ?? DASH] });
        break;
      case 'gstin':
        items.push({ kind: 'field', label: 'GSTIN', values: [e.gstin ?? DASH] });
        break;
      case 'ad_code':
        items.push({ kind: 'field', label: 'AD Code', values: [e.adCode ?? DASH] });
        break;
      case 'lut':
        if (e.lut) items.push({ kind: 'field', label: 'LUT ARN', values: [`${e.lut.arn} (FY ${e.lut.financialYear})`] });
        break;
    }
  }
  return items;
}

/** A block resolved, or null when it is left out (absent party without `whenAbsent`, no declarations…). */
function resolveBlock(block: Block, ctx: RenderContext, ph: Record<LayoutPlaceholder, string>): BlockModel | null {
  const fill = (t: string) => fillPlaceholders(t, ph);
  const s = ctx.snapshot;
  const input = ctx.input;
  const text = (heading: string | undefined, items: TextItem[], align: 'left' | 'right' = 'left'): TextBlockModel => ({
    type: 'text',
    ...(heading ? { heading: fill(heading) } : {}),
    items,
    align,
  });
  switch (block.type) {
    case 'party': {
      if (block.party === 'exporter') return text(block.heading, exporterItems(ctx, block));
      let party: PartySnapshot | null = block.party === 'consignee' ? s.consignee : block.party === 'buyer' ? s.buyer : s.notifyParty;
      if (block.party === 'buyer' && block.onlyIfDifferentFromConsignee && s.buyer.id === s.consignee.id) party = null;
      if (!party) return block.whenAbsent ? text(block.heading, [{ kind: 'line', text: fill(block.whenAbsent) }]) : null;
      return text(block.heading, partyItems(party, block));
    }
    case 'fields':
      return text(
        block.heading,
        block.fields.map((f) => ({ kind: 'field', label: fill(f.label), values: fieldValue(f.field, ctx) ?? [f.placeholder ? fill(f.placeholder) : DASH] })),
      );
    case 'lines': {
      const columns = tableColumns(block.columns, s, ctx.currency, fill);
      const placeholders = block.columns.map((c) => (c.placeholder ? fill(c.placeholder) : undefined));
      const notes = block.missingPackagesNote && s.totals.linesWithoutPackaging.length > 0 ? [fill(block.missingPackagesNote)] : [];
      return {
        type: 'table',
        ...(block.heading ? { heading: fill(block.heading) } : {}),
        columns,
        rows: lineCells(columns, placeholders, s, ctx.currency),
        totals: block.totalsLabel ? totalCells(columns, s, ctx.currency, fill(block.totalsLabel)) : null,
        notes,
      };
    }
    case 'amount_in_words': {
      const system = block.system === 'auto' ? undefined : block.system;
      return text(undefined, [{ kind: 'field', label: fill(block.label), values: [amountInWords(s.totals.amount, system)] }]);
    }
    case 'declarations': {
      if (input.declarations.length === 0) return block.whenEmpty ? text(block.heading, [{ kind: 'line', text: fill(block.whenEmpty) }]) : null;
      return text(
        block.heading,
        input.declarations.map((d, i) => ({ kind: 'line', text: block.numbered ? `${i + 1}. ${cleanText(d.text)}` : cleanText(d.text) })),
      );
    }
    case 'bank_details': {
      const b = s.exporter.bankDetails;
      if (!b) return block.whenAbsent ? text(block.heading, [{ kind: 'line', text: fill(block.whenAbsent) }]) : null;
      const items: TextItem[] = [
        { kind: 'field', label: 'Bank', values: [cleanText(b.branch ? `${b.bankName}, ${b.branch}` : b.bankName)] },
        { kind: 'field', label: 'Account name', values: [cleanText(b.accountName)] },
        { kind: 'field', label: 'Account no.', values: [cleanText(b.accountNumber)] },
      ];
      if (b.iban) items.push({ kind: 'field', label: 'IBAN', values: [cleanText(b.iban)] });
      if (b.swift) items.push({ kind: 'field', label: 'SWIFT', values: [cleanText(b.swift)] });
      if (b.ifsc) items.push({ kind: 'field', label: 'IFSC', values: [cleanText(b.ifsc)] });
      if (s.exporter.adCode) items.push({ kind: 'field', label: 'AD Code', values: [s.exporter.adCode] });
      return text(block.heading, items);
    }
    case 'signature': {
      const items: TextItem[] = [];
      if (block.placeLabel) items.push({ kind: 'field', label: fill(block.placeLabel), values: [cleanText(s.exporter.address.city)] });
      if (block.dateLabel) items.push({ kind: 'field', label: fill(block.dateLabel), values: [formatDate(input.documentDate)] });
      items.push({ kind: 'line', text: fill(block.forText), bold: true }, { kind: 'space' }, { kind: 'space' });
      const sig = s.exporter.signatory;
      if (sig) items.push({ kind: 'line', text: cleanText(sig.name) }, { kind: 'line', text: cleanText(sig.designation) });
      items.push({ kind: 'line', text: fill(block.authorisedText), bold: true });
      return text(undefined, items, 'right');
    }
    case 'text':
      return text(
        block.heading,
        block.paragraphs.map((p) => ({ kind: 'line', text: fill(p) })),
      );
    case 'required_documents': {
      const docs = input.requiredDocuments ?? [];
      if (docs.length === 0) return block.whenEmpty ? text(block.heading, [{ kind: 'line', text: fill(block.whenEmpty) }]) : null;
      return text(
        block.heading,
        docs.map((d, i) => ({ kind: 'line', text: `${i + 1}. ${cleanText(d.name)}` })),
      );
    }
    case 'bl_instructions': {
      const values = {
        ...ph,
        originals: String(block.originals),
        copies: String(block.nonNegotiableCopies),
        blConsignee: paidByLetterOfCredit(s) ? fill(block.toOrderText) : ph.blConsignee,
      };
      return text(
        block.heading,
        block.lines.map((l) => ({ kind: 'line', text: fillPlaceholders(l, values) })),
      );
    }
  }
}

export function buildModel(input: RenderInput, layout: DocumentLayout): DocumentModel {
  const s = input.snapshot;
  const currency = s.totals.amount.currency;
  const ctx: RenderContext = { input, snapshot: s, currency };
  const ph = placeholderValues(ctx);
  const fill = (t: string) => fillPlaceholders(t, ph);
  const rows: BlockModel[][] = [];
  for (const row of layout.body) {
    const blocks = row.map((b) => resolveBlock(b, ctx, ph)).filter((b): b is BlockModel => b !== null);
    if (blocks.length) rows.push(blocks);
  }
  const title = fill(layout.title);
  return {
    kind: input.kind,
    title,
    ...(layout.subtitle ? { subtitle: fill(layout.subtitle) } : {}),
    draft: input.status === 'draft' ? { mark: fill(layout.draft.mark), banner: fill(layout.draft.banner) } : null,
    rows,
    ...(layout.footer ? { footer: fill(layout.footer) } : {}),
    logo: decodeLogo(s.exporter.logo),
    page: layout.page,
    sheetName: layout.xlsx?.sheetName ?? title.slice(0, 31),
    currency,
    meta: {
      title: `${title} ${cleanText(input.documentNumber)}`,
      subject: cleanText(s.shipment ? `${s.order.reference} / ${s.shipment.reference}` : s.order.reference),
      creator: cleanText(s.exporter.legalName),
      keywords: `${input.kind} ${input.status}`,
      date: input.documentDate.slice(0, 10),
      status: input.status,
    },
  };
}

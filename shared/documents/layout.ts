/**
 * Document layout templates: the wording and arrangement of a document kind — title, field labels, goods-table
 * columns and headings, footer text, and which blocks appear where. The facts come from the DocumentSnapshot;
 * a layout only says how to lay them out. Layout files live in `templates/documents/*.json` and are validated
 * with this schema when the registry (`templates/documents/index.ts`) is loaded.
 *
 * A layout's body is a list of rows; a row holds one block (full width) or two (left and right half), as the
 * boxes of a classic export invoice. A goods table (`lines`) always has a row of its own.
 *
 * Texts may use placeholders in braces, filled from the document being rendered: see LAYOUT_PLACEHOLDERS.
 */
import { z } from 'zod';
import { DOCUMENT_KINDS } from './snapshot.js';

/** Placeholders a layout text may use, e.g. "for {exporter}" or "Rate ({currency})". */
export const LAYOUT_PLACEHOLDERS = [
  'exporter',
  'currency',
  'incoterm',
  'incotermPlace',
  'originCountry',
  'destinationCountry',
  'portOfLoading',
  'portOfDischarge',
  'documentNumber',
  'documentDate',
  'orderReference',
  'shipmentReference',
  /** Freight payment derived from the Incoterm group: "PREPAID" (C and D terms) or "COLLECT" (E and F terms). */
  'freight',
  /** Consignee as it goes on the B/L: "TO ORDER" wording under a letter of credit, else the consignee's name. */
  'blConsignee',
  /** Notify party's name, or the consignee's when there is none. */
  'notify',
  /** Number of original bills of lading (from the bl_instructions block). */
  'originals',
  /** Number of non-negotiable copies (from the bl_instructions block). */
  'copies',
] as const;
export type LayoutPlaceholder = (typeof LAYOUT_PLACEHOLDERS)[number];

const PLACEHOLDER_RE = /\{([^{}]*)\}/g;
const KNOWN_PLACEHOLDERS: ReadonlySet<string> = new Set(LAYOUT_PLACEHOLDERS);

/** A layout text: non-empty, with known placeholders only. */
const Text = (max = 500) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .superRefine((s, ctx) => {
      for (const m of s.matchAll(PLACEHOLDER_RE)) {
        if (!KNOWN_PLACEHOLDERS.has(m[1]!)) ctx.addIssue({ code: 'custom', message: `Unknown placeholder {${m[1]}}; known: ${LAYOUT_PLACEHOLDERS.join(', ')}` });
      }
    });

export const PARTY_ROLES = ['exporter', 'consignee', 'buyer', 'notify_party'] as const;
/** Registration details printed under the exporter's address. */
export const EXPORTER_DETAILS = ['iec', 'gstin', 'ad_code', 'lut'] as const;

/** Single facts a `fields` block can show. */
export const FIELD_KEYS = [
  'document_number',
  'document_date',
  'document_number_and_date',
  /** Number and date of the commercial invoice: this document's own for an invoice, else from `relatedDocuments`. */
  'invoice_number_and_date',
  'order_reference_and_date',
  'buyer_order',
  'shipment_reference',
  'other_references',
  'pre_carriage',
  'place_of_receipt',
  'transport_mode',
  'transport_details',
  'port_of_loading',
  'port_of_discharge',
  'final_destination',
  'country_of_origin',
  'country_of_final_destination',
  'vessel_voyage',
  'bl_number_and_date',
  'planned_ship_date',
  'terms_of_delivery',
  'payment_terms',
  'currency',
  'freight',
  'marks',
  'packages',
  'packages_in_words',
  'total_quantity',
  'total_net_weight',
  'total_gross_weight',
  'total_amount',
  'hs_codes',
  'origin_criterion',
  'wood_packaging',
  'lut',
  'remarks',
] as const;
export type FieldKey = (typeof FIELD_KEYS)[number];

/** Columns of a goods table. */
export const COLUMN_KEYS = [
  'line_no',
  'sku',
  'description',
  'hs_code',
  'origin',
  'quantity',
  'unit',
  'unit_price',
  'discount',
  'amount',
  /** Count and kind of outer packages of the line ("160 CTN"). */
  'packages',
  'package_count',
  'package_type',
  /** Running package numbers of the line ("1–160"), when every earlier line's package count is known. */
  'package_numbers',
  'net_weight',
  'gross_weight',
  'gross_weight_and_quantity',
  /** A column of fixed text (the column's `placeholder`), e.g. an origin criterion to be completed. */
  'placeholder',
] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];

export const Field = z.strictObject({
  field: z.enum(FIELD_KEYS),
  label: Text(120),
  /** Shown when the fact is not known (otherwise "—"). */
  placeholder: Text(300).optional(),
});

export const Column = z
  .strictObject({
    key: z.enum(COLUMN_KEYS),
    heading: Text(120),
    /** Relative width; the columns share the page width in proportion. */
    width: z.number().int().min(1).max(100).default(10),
    placeholder: Text(300).optional(),
  })
  .refine((c) => (c.key === 'placeholder') === (c.placeholder !== undefined), { message: 'A placeholder column needs its `placeholder` text, and only it has one', path: ['placeholder'] });

const PartyBlock = z
  .strictObject({
    type: z.literal('party'),
    party: z.enum(PARTY_ROLES),
    heading: Text(120),
    /** Exporter only: which registration numbers to print. */
    details: z.array(z.enum(EXPORTER_DETAILS)).default([]),
    /** Tax ids of a foreign party (VAT, EORI, TRN…). */
    taxIds: z.boolean().default(true),
    /** Contact names, phones and e-mails. */
    contacts: z.boolean().default(false),
    /** Buyer only: leave the party out (show `whenAbsent`) when the buyer is the consignee. */
    onlyIfDifferentFromConsignee: z.boolean().default(false),
    /** Text shown when the party is absent (no notify party, buyer same as consignee); without it the block is left out. */
    whenAbsent: Text(200).optional(),
  })
  .refine((b) => b.party === 'exporter' || b.details.length === 0, { message: 'Only the exporter has registration details', path: ['details'] })
  .refine((b) => b.party === 'buyer' || !b.onlyIfDifferentFromConsignee, { message: 'Only the buyer block can depend on the consignee', path: ['onlyIfDifferentFromConsignee'] });

const FieldsBlock = z.strictObject({
  type: z.literal('fields'),
  heading: Text(120).optional(),
  fields: z.array(Field).min(1),
});

const LinesBlock = z.strictObject({
  type: z.literal('lines'),
  heading: Text(120).optional(),
  columns: z.array(Column).min(1).max(14),
  /** Label of the totals row; without it there is no totals row. */
  totalsLabel: Text(120).optional(),
  /** Note under the table when some lines have no package count. */
  missingPackagesNote: Text(300).optional(),
});

const AmountInWordsBlock = z.strictObject({
  type: z.literal('amount_in_words'),
  label: Text(120),
  /** `auto`: Indian (lakh/crore) for INR, international otherwise. */
  system: z.enum(['auto', 'international', 'indian']).default('auto'),
});

const DeclarationsBlock = z.strictObject({
  type: z.literal('declarations'),
  heading: Text(120),
  numbered: z.boolean().default(true),
  /** Shown when no declarations are passed in; without it the block is left out. */
  whenEmpty: Text(300).optional(),
});

const BankDetailsBlock = z.strictObject({
  type: z.literal('bank_details'),
  heading: Text(120),
  whenAbsent: Text(200).optional(),
});

const SignatureBlock = z.strictObject({
  type: z.literal('signature'),
  /** E.g. "for {exporter}". */
  forText: Text(200),
  authorisedText: Text(120),
  /** Place and date line above the signature ("Place: Tiruppur", "Date: …"). */
  placeLabel: Text(60).optional(),
  dateLabel: Text(60).optional(),
});

const TextBlock = z.strictObject({
  type: z.literal('text'),
  heading: Text(120).optional(),
  paragraphs: z.array(Text(4000)).min(1),
});

const RequiredDocumentsBlock = z.strictObject({
  type: z.literal('required_documents'),
  heading: Text(120),
  whenEmpty: Text(300).optional(),
});

const BlInstructionsBlock = z.strictObject({
  type: z.literal('bl_instructions'),
  heading: Text(120),
  originals: z.number().int().min(1).max(6).default(3),
  nonNegotiableCopies: z.number().int().min(0).max(12).default(3),
  /** The B/L consignee under a letter of credit: "TO ORDER", "TO ORDER OF THE ISSUING BANK"… */
  toOrderText: Text(200),
  /** The instructions, one per line; may use {originals}, {copies}, {blConsignee}, {notify}, {freight}. */
  lines: z.array(Text(500)).min(1),
});

export const Block = z.discriminatedUnion('type', [
  PartyBlock,
  FieldsBlock,
  LinesBlock,
  AmountInWordsBlock,
  DeclarationsBlock,
  BankDetailsBlock,
  SignatureBlock,
  TextBlock,
  RequiredDocumentsBlock,
  BlInstructionsBlock,
]);
export type Block = z.infer<typeof Block>;
export type BlockType = Block['type'];

const Row = z
  .array(Block)
  .min(1)
  .max(2)
  .refine((row) => row.length === 1 || row.every((b) => b.type !== 'lines'), { message: 'A goods table (lines) takes a row of its own' });

/** Excel sheet names: 1–31 characters, none of : \ / ? * [ ], not starting or ending with an apostrophe. */
const SheetName = z
  .string()
  .min(1)
  .max(31)
  .regex(/^[^:\\/?*[\]']([^:\\/?*[\]]*[^:\\/?*[\]'])?$/, 'Not a valid Excel sheet name');

export const DocumentLayout = z
  .strictObject({
    kind: z.enum(DOCUMENT_KINDS),
    /** Version of the layout format (not of the wording). */
    layoutVersion: z.literal(1),
    title: Text(120),
    subtitle: Text(300).optional(),
    draft: z.strictObject({
      /** Large mark repeated in the page header of a draft. */
      mark: Text(40),
      /** Line under the title of a draft. */
      banner: Text(300),
    }),
    page: z
      .strictObject({
        size: z.enum(['A4', 'LETTER']).default('A4'),
        orientation: z.enum(['portrait', 'landscape']).default('portrait'),
        /** Body text size in points. */
        fontSize: z.number().min(7).max(12).default(9),
      })
      .default({ size: 'A4', orientation: 'portrait', fontSize: 9 }),
    body: z.array(Row).min(1),
    footer: Text(500).optional(),
    /** Spreadsheet rendering (commercial invoice and packing list). */
    xlsx: z.strictObject({ sheetName: SheetName }).optional(),
  })
  .superRefine((layout, ctx) => {
    const types = layout.body.flat().map((b) => b.type);
    if (!types.includes('party')) ctx.addIssue({ code: 'custom', path: ['body'], message: 'A document names at least one party' });
    for (const t of ['signature', 'amount_in_words', 'declarations', 'bank_details', 'required_documents', 'bl_instructions'] as const) {
      if (types.filter((x) => x === t).length > 1) ctx.addIssue({ code: 'custom', path: ['body'], message: `At most one ${t} block` });
    }
  });
export type DocumentLayout = z.infer<typeof DocumentLayout>;
/** A layout as written in a file (defaults not yet applied). */
export type DocumentLayoutInput = z.input<typeof DocumentLayout>;

/** Fill a layout text's placeholders; unknown ones are left as written (the schema refuses them anyway). */
export function fillPlaceholders(text: string, values: Readonly<Partial<Record<LayoutPlaceholder, string>>>): string {
  return text.replace(PLACEHOLDER_RE, (whole, name: string) => (KNOWN_PLACEHOLDERS.has(name) ? (values[name as LayoutPlaceholder] ?? '') : whole));
}

import { z } from 'zod';
import { isCountryCode } from '../domain/countries.js';
import { isCurrency } from '../domain/currency.js';
import { isSeaport, normaliseLocode } from '../reference/ports.js';

/** Identifier issued by the server: a prefix and a time-ordered 26-character ULID ("ord_01J..."). */
export const Id = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`), `Must be a ${prefix}_… identifier`);

export const CountryCode = z
  .string()
  .refine(isCountryCode, 'Must be an ISO 3166-1 alpha-2 country code, e.g. DE')
  .meta({ description: 'ISO 3166-1 alpha-2 country code', example: 'DE' });

export const CurrencyCode = z
  .string()
  .refine(isCurrency, 'Must be an ISO 4217 currency code, e.g. USD')
  .meta({ description: 'ISO 4217 currency code', example: 'USD' });

/** UN/LOCODE of a seaport (function 1), normalised to upper case without spaces. */
export const SeaportCode = z
  .string()
  .transform(normaliseLocode)
  .refine(isSeaport, 'Must be the UN/LOCODE of a seaport, e.g. INNSA (Nhava Sheva)')
  .meta({ description: 'UN/LOCODE of a seaport (function 1)', example: 'INNSA' });

/** Calendar date, ISO 8601 (YYYY-MM-DD). */
export const IsoDate = z.iso.date().meta({ description: 'ISO 8601 date', example: '2026-12-15' });

/** Decimal written as a string so no precision is lost in JSON. */
export const Decimal = (maxFraction: number, description: string) =>
  z
    .string()
    .regex(new RegExp(`^\\d{1,12}(\\.\\d{1,${maxFraction}})?$`), `Must be a decimal string with at most ${maxFraction} decimals, e.g. "1250.5"`)
    .meta({ description });

/** An amount sent in major units of a currency given beside it ("3000.00" EUR, "125000" JPY); services check it against the currency's minor units. */
export const AmountInput = Decimal(3, 'Amount in major units as a decimal string, with at most the currency\'s decimals (INR 2, JPY 0, KWD 3)');
export const Quantity = Decimal(3, 'Quantity as a decimal string (up to 3 decimals)');
export const UnitPrice = Decimal(6, 'Unit price as a decimal string in the order currency (up to 6 decimals)');
export const Percent = z
  .string()
  .regex(/^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/, 'Must be a percentage between 0 and 100 with at most 2 decimals, e.g. "2.5"')
  .meta({ description: 'Percentage as a decimal string, 0–100' });
export const Weight = Decimal(3, 'Weight in kilograms as a decimal string (up to 3 decimals)');

/** Money amount in major units with exactly the currency's minor digits ("1234.50" INR, "1200" JPY, "10.125" KWD). */
export const Money = z
  .object({ currency: z.string(), amount: z.string(), minor: z.number().int() })
  .meta({ id: 'Money', description: 'Exact amount: `amount` has the currency\'s minor digits; `minor` is the integer of minor units' });
export type Money = z.infer<typeof Money>;

export const Address = z
  .strictObject({
    lines: z.array(z.string().trim().min(1).max(200)).min(1).max(4),
    city: z.string().trim().min(1).max(100),
    postcode: z.string().trim().max(20).optional(),
    region: z.string().trim().max(100).optional(),
    country: CountryCode,
  })
  .meta({ id: 'Address' });
export type Address = z.infer<typeof Address>;

export const Timestamp = z.string().meta({ description: 'ISO 8601 timestamp (UTC)', example: '2026-11-27T10:15:00.000Z' });

/** The one error shape of every 4xx/5xx response. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'VALIDATION_FAILED' }),
      message: z.string(),
      details: z
        .array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() }))
        .optional()
        .meta({ description: 'One entry per offending field; `path` is a dotted path such as `lines.2.quantity`' }),
      requestId: z.string().optional(),
      current: z.unknown().optional().meta({ description: 'On 412: the current record, to merge and retry' }),
      report: z.unknown().optional().meta({ description: 'On 422 IMPORT_REJECTED (POST /imports): the full import report' }),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Cursor pagination query shared by list endpoints. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: 'Page size, 1–200 (default 50)' }),
  cursor: z.string().max(200).optional().meta({ description: 'Opaque cursor from the previous page\'s `nextCursor`' }),
});

/** A page of results with the cursor of the next page (null at the end). */
export const Page = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });

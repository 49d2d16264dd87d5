import { z } from 'zod';
import { isValidHsCode, normaliseHsCode } from '../reference/hs.js';
import { CountryCode, Id, Page, PageQuery, Timestamp, Weight } from './common.js';

export const UNITS = ['PCS', 'SET', 'PR', 'DZ', 'KG', 'MT', 'G', 'L', 'M', 'M2', 'M3', 'CTN', 'BOX', 'BAG', 'ROL', 'NOS'] as const;
export const Unit = z.enum(UNITS).meta({ description: 'Unit of measure (UQC-style codes: PCS pieces, PR pairs, DZ dozens, KG, MT metric tonnes, M2…)' });

export const PACKAGE_TYPES = ['CTN', 'BOX', 'BAG', 'BAL', 'BDL', 'CRT', 'DRM', 'PLT', 'ROL', 'CSK', 'PKG'] as const;
export const PackageType = z
  .enum(PACKAGE_TYPES)
  .meta({ description: 'Outer package (UN/ECE Rec 21 style): CTN carton, BAL bale, BDL bundle, CRT crate, DRM drum, PLT pallet, CSK cask, PKG other' });

export const HsCode = z
  .string()
  .transform(normaliseHsCode)
  .refine(isValidHsCode, 'Must be an HS code of 6, 8 or 10 digits whose first 6 digits are an HS 2022 subheading, e.g. 61091000')
  .meta({ description: 'HS code (6 digits, or the 8-digit ITC-HS / 10-digit national code); dots and spaces are removed', example: '61091000' });

export const ProductId = Id('prd');

const productFields = {
  sku: z.string().trim().min(1).max(64),
  description: z.string().trim().min(1).max(500),
  hsCode: HsCode,
  unit: Unit,
  netWeightKg: Weight.meta({ description: 'Net weight per unit, kg' }),
  grossWeightKg: Weight.meta({ description: 'Gross weight per unit, kg' }),
  originCountry: CountryCode.default('IN'),
  packageType: PackageType.default('CTN'),
  unitsPerPackage: z.number().int().min(1).max(1_000_000).optional().meta({ description: 'Units packed in one outer package; used for package counts on the packing list' }),
};

const weightsConsistent = (p: { netWeightKg?: string; grossWeightKg?: string }) =>
  p.netWeightKg === undefined || p.grossWeightKg === undefined || Number(p.grossWeightKg) >= Number(p.netWeightKg);
const weightIssue = { message: 'Gross weight must be at least the net weight', path: ['grossWeightKg'] };

export const ProductCreate = z.strictObject(productFields).refine(weightsConsistent, weightIssue).meta({ id: 'ProductCreate' });
export type ProductCreate = z.infer<typeof ProductCreate>;

export const ProductUpdate = z
  .strictObject({
    sku: productFields.sku.optional(),
    description: productFields.description.optional(),
    hsCode: HsCode.optional(),
    unit: Unit.optional(),
    netWeightKg: Weight.optional(),
    grossWeightKg: Weight.optional(),
    originCountry: CountryCode.optional(),
    packageType: PackageType.optional(),
    unitsPerPackage: z.number().int().min(1).max(1_000_000).nullable().optional(),
  })
  .meta({ id: 'ProductUpdate' });
export type ProductUpdate = z.infer<typeof ProductUpdate>;

export const Product = z
  .object({
    id: z.string(),
    sku: z.string(),
    description: z.string(),
    hsCode: z.string(),
    hsDescription: z.string().nullable().meta({ description: 'HS 2022 subheading text of the first 6 digits' }),
    unit: Unit,
    netWeightKg: z.string(),
    grossWeightKg: z.string(),
    originCountry: z.string(),
    packageType: PackageType,
    unitsPerPackage: z.number().int().nullable(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Product' });
export type Product = z.infer<typeof Product>;

export const ProductListQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(100).optional().meta({ description: 'Text on SKU or description' }),
  hsChapter: z.string().regex(/^\d{2}$/).optional(),
});
export type ProductListQuery = z.infer<typeof ProductListQuery>;
export const ProductPage = Page(Product, 'ProductPage');

import { z } from 'zod';
import { Timestamp } from './common.js';

export const ValidationSeverity = z.enum(['error', 'warning', 'info']).meta({ id: 'ValidationSeverity', description: 'error blocks (confirming, final documents); warning and info do not' });

export const ValidationFinding = z
  .object({
    rule: z.string().meta({ description: 'Template rule id', example: 'eu.consignee.eori' }),
    severity: ValidationSeverity,
    path: z.string().meta({ description: 'Path in the document snapshot the finding is about', example: 'consignee.taxIds[type=EORI].value' }),
    message: z.string(),
    hint: z.string().nullable(),
    source: z.string().meta({ description: 'The regulation or authority the rule comes from' }),
    due: Timestamp.optional().meta({ description: 'Deadlines: when it is due (UTC)' }),
    shipmentId: z.string().nullable().meta({ description: 'The shipment the finding concerns; null for the order as a whole' }),
    shipmentReference: z.string().nullable(),
  })
  .meta({ id: 'ValidationFinding' });
export type ValidationFinding = z.infer<typeof ValidationFinding>;

export const RequiredDocument = z
  .object({
    code: z.string().meta({ example: 'insurance_certificate' }),
    name: z.string(),
    kind: z.string().optional().meta({ description: 'Which variant, e.g. "non-preferential (chamber of commerce)" for a certificate of origin' }),
    rule: z.string(),
    source: z.string(),
    shipmentId: z.string().nullable(),
  })
  .meta({ id: 'RequiredDocument' });
export type RequiredDocument = z.infer<typeof RequiredDocument>;

export const ValidationResult = z
  .object({
    target: z.object({ orderId: z.string(), shipmentId: z.string().optional() }),
    valid: z.boolean().meta({ description: 'True when there is no error finding' }),
    findings: z.array(ValidationFinding),
    requiredDocuments: z.array(RequiredDocument),
    templateIds: z.array(z.string()).meta({ description: 'Country templates applied, e.g. ["default", "eu", "de", "in"]' }),
    checkedAt: Timestamp,
  })
  .meta({ id: 'ValidationResult' });
export type ValidationResult = z.infer<typeof ValidationResult>;

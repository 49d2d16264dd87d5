import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env.js';

/** Payment milestones, letters of credit, receipts, allocations, e-BRC and receivables. */
export function paymentRoutes(_app: OpenAPIHono<AppEnv>) {}

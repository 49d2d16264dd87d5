import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env.js';

/** Buyer e-mail preferences, the outbox and delivery status. */
export function notificationRoutes(_app: OpenAPIHono<AppEnv>) {}

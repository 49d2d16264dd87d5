import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env.js';

/** Tracking links for buyers (signed, expiring, revocable) and the read-only page they open. */
export function trackingRoutes(_app: OpenAPIHono<AppEnv>) {}

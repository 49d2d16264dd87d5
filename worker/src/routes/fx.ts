import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env.js';

/** FX rates, order costs and order profitability. */
export function fxRoutes(_app: OpenAPIHono<AppEnv>) {}

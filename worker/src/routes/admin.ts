import { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { Id } from '../../../shared/contracts/common.js';
import { ApiKey, ApiKeyCreate, ApiKeyCreated, Me, Organisation, OrganisationUpdate, User, UserCreate } from '../../../shared/contracts/organisations.js';
import type { AppEnv } from '../http/env.js';
import { IdParam, apiRoute, jsonBody, jsonResponse } from '../http/route.js';
import { createApiKey, createUser, getMe, listApiKeys, listUsers, revokeApiKey, updateOrganisation } from '../services/organisations.js';

const tags = ['Organisation'];

/** The caller, the organisation profile, users and API keys. */
export function adminRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    apiRoute({ method: 'get', path: '/me', tags, summary: 'Who am I: organisation, user, role and permissions', permission: ['org:read'], responses: { 200: jsonResponse(Me, 'The caller') } }),
    async (c) => c.json(await getMe(c.var.ctx), 200),
  );
  app.openapi(
    apiRoute({ method: 'patch', path: '/organisation', tags, summary: 'Update the organisation profile (letterhead, IEC, GSTIN, AD code, bank details)', permission: ['org:manage'], request: { body: jsonBody(OrganisationUpdate) }, responses: { 200: jsonResponse(Organisation, 'Updated') } }),
    async (c) => c.json(await updateOrganisation(c.var.ctx, c.req.valid('json')), 200),
  );
  app.openapi(
    apiRoute({ method: 'get', path: '/users', tags, summary: 'List users', permission: ['org:manage'], responses: { 200: jsonResponse(z.object({ items: z.array(User) }), 'Users') } }),
    async (c) => c.json({ items: await listUsers(c.var.ctx) }, 200),
  );
  app.openapi(
    apiRoute({ method: 'post', path: '/users', tags, summary: 'Add a user', permission: ['org:manage'], errors: [409], request: { body: jsonBody(UserCreate) }, responses: { 201: jsonResponse(User, 'Created') } }),
    async (c) => c.json(await createUser(c.var.ctx, c.req.valid('json')), 201),
  );
  app.openapi(
    apiRoute({ method: 'get', path: '/api-keys', tags, summary: 'List API keys (never their secrets)', permission: ['org:manage'], responses: { 200: jsonResponse(z.object({ items: z.array(ApiKey) }), 'Keys') } }),
    async (c) => c.json({ items: await listApiKeys(c.var.ctx) }, 200),
  );
  app.openapi(
    apiRoute({ method: 'post', path: '/api-keys', tags, summary: 'Issue an API key for a user', description: 'The secret is in this response only; it is stored hashed.', permission: ['org:manage'], request: { body: jsonBody(ApiKeyCreate) }, responses: { 201: jsonResponse(ApiKeyCreated, 'Created') } }),
    async (c) => c.json(await createApiKey(c.var.ctx, c.req.valid('json')), 201),
  );
  app.openapi(
    apiRoute({ method: 'post', path: '/api-keys/{id}/revoke', tags, summary: 'Revoke an API key', permission: ['org:manage'], request: { params: IdParam(Id('key')) }, responses: { 200: jsonResponse(ApiKey, 'Revoked') } }),
    async (c) => c.json(await revokeApiKey(c.var.ctx, c.req.valid('param').id), 200),
  );
}

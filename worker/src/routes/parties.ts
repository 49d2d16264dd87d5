import { OpenAPIHono } from '@hono/zod-openapi';
import { Party, PartyCreate, PartyId, PartyListQuery, PartyPage, PartyUpdate } from '../../../shared/contracts/parties.js';
import type { AppEnv } from '../http/env.js';
import { IdParam, IfMatchHeader, apiRoute, expectedVersion, jsonBody, jsonResponse, withEtag } from '../http/route.js';
import { createParty, getParty, listParties, updateParty, verifyParty } from '../services/parties.js';

const tags = ['Parties'];
const Params = IdParam(PartyId);

/** Buyers, consignees, notify parties, forwarders and customs agents. */
export function partyRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    apiRoute({ method: 'get', path: '/parties', tags, summary: 'List parties', permission: ['parties:read'], request: { query: PartyListQuery }, responses: { 200: jsonResponse(PartyPage, 'A page of parties') } }),
    async (c) => c.json(await listParties(c.var.ctx, c.req.valid('query')), 200),
  );
  app.openapi(
    apiRoute({ method: 'post', path: '/parties', tags, summary: 'Create a party', permission: ['parties:write'], request: { body: jsonBody(PartyCreate) }, responses: { 201: jsonResponse(Party, 'Created', true) } }),
    async (c) => {
      const party = await createParty(c.var.ctx, c.req.valid('json'));
      c.header('Location', `/parties/${party.id}`);
      return c.json(withEtag(c, party), 201);
    },
  );
  app.openapi(
    apiRoute({ method: 'get', path: '/parties/{id}', tags, summary: 'Get a party', permission: ['parties:read'], request: { params: Params }, responses: { 200: jsonResponse(Party, 'The party', true) } }),
    async (c) => c.json(withEtag(c, await getParty(c.var.ctx, c.req.valid('param').id)), 200),
  );
  app.openapi(
    apiRoute({
      method: 'patch',
      path: '/parties/{id}',
      tags,
      summary: 'Update a party',
      description: 'Changing name, address or tax ids clears verification.',
      permission: ['parties:write'],
      errors: [412, 422, 428],
      request: { params: Params, headers: IfMatchHeader, body: jsonBody(PartyUpdate) },
      responses: { 200: jsonResponse(Party, 'Updated', true) },
    }),
    async (c) => c.json(withEtag(c, await updateParty(c.var.ctx, c.req.valid('param').id, expectedVersion(c), c.req.valid('json'))), 200),
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/parties/{id}/verify',
      tags,
      summary: 'Mark a party as verified',
      description: 'Orders can only be confirmed when their buyer, consignee and notify party are verified.',
      permission: ['parties:write'],
      errors: [412, 422, 428],
      request: { params: Params, headers: IfMatchHeader },
      responses: { 200: jsonResponse(Party, 'Verified', true) },
    }),
    async (c) => c.json(withEtag(c, await verifyParty(c.var.ctx, c.req.valid('param').id, expectedVersion(c))), 200),
  );
}

import { OpenAPIHono } from '@hono/zod-openapi';
import { OrderId } from '../../../shared/contracts/orders.js';
import {
  OrderReservations,
  StockAdjustment,
  StockChange,
  StockLevelList,
  StockLevelQuery,
  StockLocation,
  StockLocationCreate,
  StockLocationList,
  StockMovementPage,
  StockMovementQuery,
  StockReceipt,
} from '../../../shared/contracts/stock.js';
import type { AppEnv } from '../http/env.js';
import { IdParam, apiRoute, jsonBody, jsonResponse } from '../http/route.js';
import { adjustStock, createStockLocation, listStockLevels, listStockLocations, listStockMovements, receiveStock } from '../services/stock/levels.js';
import { getOrderReservations } from '../services/stock/reservations.js';

const tags = ['Stock'];

/** Stock locations, levels, receipts and adjustments, movements, and what an order has reserved. */
export function stockRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/stock/locations',
      tags,
      summary: 'Add a stock location (warehouse, godown, factory store)',
      permission: ['stock:write'],
      errors: [409],
      request: { body: jsonBody(StockLocationCreate) },
      responses: { 201: jsonResponse(StockLocation, 'Created') },
    }),
    async (c) => c.json(await createStockLocation(c.var.ctx, c.req.valid('json')), 201),
  );
  app.openapi(
    apiRoute({ method: 'get', path: '/stock/locations', tags, summary: 'List stock locations', permission: ['stock:read'], responses: { 200: jsonResponse(StockLocationList, 'Locations, by code') } }),
    async (c) => c.json({ items: await listStockLocations(c.var.ctx) }, 200),
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/stock/receipts',
      tags,
      summary: 'Receive goods into a location',
      description: 'Adds to on hand (in the product\'s unit, up to 3 decimals) and writes a `receipt` movement. The first receipt of a product at a location creates its stock level: from then on, confirming an order of that product reserves stock.',
      permission: ['stock:write'],
      errors: [422],
      request: { body: jsonBody(StockReceipt) },
      responses: { 201: jsonResponse(StockChange, 'The movement and the level after it') },
    }),
    async (c) => c.json(await receiveStock(c.var.ctx, c.req.valid('json')), 201),
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/stock/adjustments',
      tags,
      summary: 'Correct on hand by a signed quantity',
      description: 'A negative adjustment can never take on hand below what is reserved: 409 STOCK_BELOW_RESERVED, nothing changed.',
      permission: ['stock:write'],
      errors: [409, 422],
      request: { body: jsonBody(StockAdjustment) },
      responses: { 201: jsonResponse(StockChange, 'The movement and the level after it') },
    }),
    async (c) => c.json(await adjustStock(c.var.ctx, c.req.valid('json')), 201),
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/stock',
      tags,
      summary: 'Stock levels: on hand, reserved and available per product per location',
      permission: ['stock:read'],
      request: { query: StockLevelQuery },
      responses: { 200: jsonResponse(StockLevelList, 'Levels, by SKU and location code') },
    }),
    async (c) => c.json({ items: await listStockLevels(c.var.ctx, c.req.valid('query')) }, 200),
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/stock/movements',
      tags,
      summary: 'The stock ledger, newest first',
      description: 'Receipts, adjustments, and the reservations, releases and consumption that orders and shipments cause.',
      permission: ['stock:read'],
      request: { query: StockMovementQuery },
      responses: { 200: jsonResponse(StockMovementPage, 'A page of movements') },
    }),
    async (c) => c.json(await listStockMovements(c.var.ctx, c.req.valid('query')), 200),
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/orders/{id}/reservations',
      tags,
      summary: 'Stock reserved for an order, per line',
      description: 'Per line: stock or make-to-order, what is reserved at which location, what shipping consumed, and any shortfall.',
      permission: ['stock:read'],
      request: { params: IdParam(OrderId) },
      responses: { 200: jsonResponse(OrderReservations, 'Reservations') },
    }),
    async (c) => c.json(await getOrderReservations(c.var.ctx, c.req.valid('param').id), 200),
  );
}

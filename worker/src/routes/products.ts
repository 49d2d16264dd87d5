import { OpenAPIHono } from '@hono/zod-openapi';
import { Product, ProductCreate, ProductId, ProductListQuery, ProductPage, ProductUpdate } from '../../../shared/contracts/products.js';
import type { AppEnv } from '../http/env.js';
import { IdParam, IfMatchHeader, apiRoute, expectedVersion, jsonBody, jsonResponse, withEtag } from '../http/route.js';
import { createProduct, getProduct, listProducts, updateProduct } from '../services/products.js';

const tags = ['Products'];
const Params = IdParam(ProductId);

/** Products with HS codes checked against the HS 2022 nomenclature. */
export function productRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    apiRoute({ method: 'get', path: '/products', tags, summary: 'List products', permission: ['products:read'], request: { query: ProductListQuery }, responses: { 200: jsonResponse(ProductPage, 'A page of products') } }),
    async (c) => c.json(await listProducts(c.var.ctx, c.req.valid('query')), 200),
  );
  app.openapi(
    apiRoute({ method: 'post', path: '/products', tags, summary: 'Create a product', permission: ['products:write'], errors: [409], request: { body: jsonBody(ProductCreate) }, responses: { 201: jsonResponse(Product, 'Created', true) } }),
    async (c) => {
      const product = await createProduct(c.var.ctx, c.req.valid('json'));
      c.header('Location', `/products/${product.id}`);
      return c.json(withEtag(c, product), 201);
    },
  );
  app.openapi(
    apiRoute({ method: 'get', path: '/products/{id}', tags, summary: 'Get a product', permission: ['products:read'], request: { params: Params }, responses: { 200: jsonResponse(Product, 'The product', true) } }),
    async (c) => c.json(withEtag(c, await getProduct(c.var.ctx, c.req.valid('param').id)), 200),
  );
  app.openapi(
    apiRoute({
      method: 'patch',
      path: '/products/{id}',
      tags,
      summary: 'Update a product',
      description: 'Existing order lines keep the HS code and description they were created with.',
      permission: ['products:write'],
      errors: [409, 412, 422, 428],
      request: { params: Params, headers: IfMatchHeader, body: jsonBody(ProductUpdate) },
      responses: { 200: jsonResponse(Product, 'Updated', true) },
    }),
    async (c) => c.json(withEtag(c, await updateProduct(c.var.ctx, c.req.valid('param').id, expectedVersion(c), c.req.valid('json'))), 200),
  );
}

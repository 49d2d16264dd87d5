export * from './organisations.js';
export * from './parties.js';
export * from './products.js';
export * from './orders.js';
export * from './shipments.js';
export * from './audit.js';
export * from './documents.js';
export * from './execution.js';

/**
 * Roles and the permission matrix. This table is the single source of truth: the API enforces it,
 * the README prints it, and a test walks every route against it.
 */
export const ROLES = ['admin', 'ops', 'documentation', 'finance', 'viewer', 'forwarder', 'customs_agent'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Roles of people outside the exporter: a forwarder's or customs agent's staff. Each such user belongs to a party
 * (`users.party_id`) and sees only the shipments assigned to that party, with their bookings, milestones,
 * documents and exceptions; everything else answers 404 as if it did not exist.
 */
export const SCOPED_ROLES = ['forwarder', 'customs_agent'] as const satisfies readonly Role[];
export type ScopedRole = (typeof SCOPED_ROLES)[number];

/** True for roles whose users see only the shipments assigned to their party. */
export const isScopedRole = (role: Role): role is ScopedRole => (SCOPED_ROLES as readonly Role[]).includes(role);

export const PERMISSIONS = {
  'org:read': 'See the organisation profile, own user and role',
  'org:manage': 'Edit the organisation profile; manage users and API keys',
  'parties:read': 'List and read parties',
  'parties:write': 'Create, edit and verify parties',
  'products:read': 'List and read products',
  'products:write': 'Create and edit products',
  'orders:read': 'List and read orders, lines, history',
  'orders:write': 'Create and edit orders and their lines',
  'orders:transition': 'Move orders through confirm / production / ready to ship',
  'orders:cancel': 'Cancel an order',
  'orders:close': 'Close a delivered order',
  'shipments:read': 'List and read shipments with their bookings and milestones',
  'shipments:write': 'Create, edit, allocate, ship and deliver shipments',
  'documents:read': 'List, read and download export documents; validate orders',
  'documents:write': 'Generate, approve and finalise export documents',
  'execution:read': 'See production jobs, inspections and order timelines',
  'execution:write': 'Plan production and inspections; run the exception sweep',
  'bookings:write': "Create and change a shipment's booking",
  'milestones:write': 'Record planned and actual milestone times',
  'stock:read': 'See stock levels, reservations and movements',
  'stock:write': 'Receive and adjust stock; manage stock locations',
  'exceptions:read': 'See exceptions and the per-role digest',
  'exceptions:write': 'Acknowledge and resolve exceptions',
  'payments:read': 'See payment milestones, receipts, FX rates, costs, profitability and receivables',
  'payments:write': 'Record receipts and allocate them; letters of credit, e-BRC, FX rates and order costs',
  'buyers:notify': "Set buyers' e-mail preferences, resend updates, issue and revoke tracking links",
} as const;
export type Permission = keyof typeof PERMISSIONS;

/** What every internal role reads. */
const READ: Permission[] = ['org:read', 'parties:read', 'products:read', 'orders:read', 'shipments:read', 'documents:read', 'execution:read', 'stock:read', 'exceptions:read', 'payments:read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: Object.keys(PERMISSIONS) as Permission[],
  ops: [
    ...READ,
    'parties:write',
    'products:write',
    'orders:write',
    'orders:transition',
    'orders:cancel',
    'orders:close',
    'shipments:write',
    'documents:write',
    'execution:write',
    'bookings:write',
    'milestones:write',
    'stock:write',
    'exceptions:write',
    'buyers:notify',
  ],
  documentation: [...READ, 'parties:write', 'products:write', 'documents:write', 'milestones:write', 'exceptions:write'],
  finance: [...READ, 'orders:close', 'exceptions:write', 'payments:write', 'buyers:notify'],
  viewer: READ,
  // Outside parties, limited further to their assigned shipments (SCOPED_ROLES).
  forwarder: ['org:read', 'shipments:read', 'documents:read', 'exceptions:read', 'bookings:write', 'milestones:write'],
  customs_agent: ['org:read', 'shipments:read', 'documents:read', 'exceptions:read', 'milestones:write'],
};

/** True when `role` grants `permission`. */
export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/**
 * Roles and the permission matrix. This table is the single source of truth: the API enforces it,
 * the README prints it, and a test walks every route against it.
 */
export const ROLES = ['admin', 'ops', 'documentation', 'finance', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

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
  'shipments:read': 'List and read shipments',
  'shipments:write': 'Create, edit, allocate, ship and deliver shipments',
  'documents:read': 'List, read and download export documents; validate orders',
  'documents:write': 'Generate, approve and finalise export documents',
  'execution:read': 'See bookings, milestones, production jobs, inspections and order timelines',
  'execution:write': 'Book shipments, record milestones, plan production and inspections',
  'stock:read': 'See stock levels, reservations and movements',
  'stock:write': 'Receive and adjust stock; manage stock locations',
  'exceptions:read': 'See exceptions and the per-role digest',
  'exceptions:write': 'Acknowledge and resolve exceptions',
} as const;
export type Permission = keyof typeof PERMISSIONS;

const READ: Permission[] = ['org:read', 'parties:read', 'products:read', 'orders:read', 'shipments:read', 'documents:read', 'execution:read', 'stock:read', 'exceptions:read'];

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
    'stock:write',
    'exceptions:write',
  ],
  documentation: [...READ, 'parties:write', 'products:write', 'documents:write', 'exceptions:write'],
  finance: [...READ, 'orders:close', 'exceptions:write'],
  viewer: READ,
};

/** True when `role` grants `permission`. */
export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Least to most privileged: `allows()` reads this order, and so does the Postgres enum. */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Every permission and the least role that holds it, in one place. Viewers read,
 * editors change items and jobs, admins manage users, settings, webhooks and keys.
 */
export const PERMISSIONS = {
  /** Any signed-in caller: their own profile. */
  'self:read': 'viewer',
  'items:read': 'viewer',
  'items:write': 'editor',
  'jobs:read': 'viewer',
  'jobs:write': 'editor',
  'reports:read': 'viewer',
  'reports:write': 'editor',
  'stats:read': 'viewer',
  'settings:read': 'viewer',
  'settings:write': 'admin',
  'audit:read': 'admin',
  /** Names and emails of users by id, to show who owns an item or made a change; never roles or status. */
  'users:read': 'viewer',
  'users:manage': 'admin',
  'keys:manage': 'admin',
  'webhooks:manage': 'admin',
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSIONS;

/** Whether a role holds a permission (roles are ordered: admin ⊃ editor ⊃ viewer). */
export function allows(role: Role, permission: Permission): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(PERMISSIONS[permission]);
}

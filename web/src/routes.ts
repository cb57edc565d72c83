import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';
import type { Permission } from '../../vocabulary/permissions.ts';

export interface NavEntry {
  path: string;
  label: string;
  /** Shown only to callers holding it (the API enforces the same). */
  permission: Permission;
}

/** The navigation, in order; the admin section is listed last. */
export const NAV: NavEntry[] = [
  { path: '/', label: 'Overview', permission: 'stats:read' },
  { path: '/items', label: 'Items', permission: 'items:read' },
  { path: '/jobs', label: 'Jobs', permission: 'jobs:read' },
  { path: '/health', label: 'Health', permission: 'self:read' },
  { path: '/audit', label: 'Audit log', permission: 'audit:read' },
  { path: '/admin/users', label: 'Users', permission: 'users:manage' },
  { path: '/admin/api-keys', label: 'API keys', permission: 'keys:manage' },
  { path: '/admin/webhooks', label: 'Webhooks', permission: 'webhooks:manage' },
  { path: '/admin/settings', label: 'Settings', permission: 'settings:read' },
];

/** Every page is its own chunk: the first load carries only the shell and the page it opens. */
export const ROUTES: RouteDefinition[] = [
  { path: '/', component: lazy(() => import('./pages/overview/overview-page.tsx')) },
  { path: '/items', component: lazy(() => import('./pages/items/items-page.tsx')) },
  { path: '/items/new', component: lazy(() => import('./pages/items/item-new-page.tsx')) },
  { path: '/items/import', component: lazy(() => import('./pages/items/import-page.tsx')) },
  { path: '/items/:id', component: lazy(() => import('./pages/items/item-edit-page.tsx')) },
  { path: '/jobs', component: lazy(() => import('./pages/jobs/jobs-page.tsx')) },
  { path: '/jobs/:id', component: lazy(() => import('./pages/jobs/job-page.tsx')) },
  { path: '/health', component: lazy(() => import('./pages/health/health-page.tsx')) },
  { path: '/audit', component: lazy(() => import('./pages/audit/audit-page.tsx')) },
  { path: '/admin/users', component: lazy(() => import('./pages/admin/users-page.tsx')) },
  { path: '/admin/api-keys', component: lazy(() => import('./pages/admin/api-keys-page.tsx')) },
  { path: '/admin/webhooks', component: lazy(() => import('./pages/admin/webhooks-page.tsx')) },
  { path: '/admin/settings', component: lazy(() => import('./pages/admin/settings-page.tsx')) },
  { path: '*404', component: lazy(() => import('./pages/not-found/not-found-page.tsx')) },
];

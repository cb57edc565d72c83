import type { RouteSectionProps } from '@solidjs/router';
import { type Component, lazy } from 'solid-js';
import type { Permission } from '../../vocabulary/permissions.ts';

/** One page of the dashboard: where it lives, what it is called and who may use it. */
export interface PageDefinition {
  path: string;
  /** Its name: the navigation's label, and the heading when the caller's role may not use it. */
  title: string;
  /** Needed to use the page at all (the API enforces the same); without it the page is not loaded. */
  permission: Permission;
  component: Component<RouteSectionProps>;
  /** Listed in the main navigation. */
  nav?: true;
}

const page = (path: string, title: string, permission: Permission, load: () => Promise<{ default: Component }>) => ({
  path,
  title,
  permission,
  // Every page is its own chunk: the first load carries only the shell and the page it opens.
  component: lazy(load) as Component<RouteSectionProps>,
});

/** Every page, in navigation order; the admin section comes last. */
export const PAGES: PageDefinition[] = [
  { ...page('/', 'Overview', 'stats:read', () => import('./pages/overview/overview-page.tsx')), nav: true },
  { ...page('/items', 'Items', 'items:read', () => import('./pages/items/items-page.tsx')), nav: true },
  page('/items/new', 'New item', 'items:write', () => import('./pages/items/item-new-page.tsx')),
  page('/items/import', 'Import items', 'items:write', () => import('./pages/items/import-page.tsx')),
  page('/items/:id', 'Item', 'items:read', () => import('./pages/items/item-edit-page.tsx')),
  { ...page('/jobs', 'Jobs', 'jobs:read', () => import('./pages/jobs/jobs-page.tsx')), nav: true },
  page('/jobs/:id', 'Job', 'jobs:read', () => import('./pages/jobs/job-page.tsx')),
  { ...page('/health', 'Health', 'self:read', () => import('./pages/health/health-page.tsx')), nav: true },
  { ...page('/audit', 'Audit log', 'audit:read', () => import('./pages/audit/audit-page.tsx')), nav: true },
  { ...page('/admin/users', 'Users', 'users:manage', () => import('./pages/admin/users-page.tsx')), nav: true },
  { ...page('/admin/api-keys', 'API keys', 'keys:manage', () => import('./pages/admin/api-keys-page.tsx')), nav: true },
  {
    ...page('/admin/webhooks', 'Webhooks', 'webhooks:manage', () => import('./pages/admin/webhooks-page.tsx')),
    nav: true,
  },
  // Readers see the values in force; only admins get the form (the page itself decides).
  {
    ...page('/admin/settings', 'Settings', 'settings:read', () => import('./pages/admin/settings-page.tsx')),
    nav: true,
  },
  page('*404', 'Not found', 'self:read', () => import('./pages/not-found/not-found-page.tsx')),
];

/** The navigation, in order. */
export const NAV = PAGES.filter((entry) => entry.nav);

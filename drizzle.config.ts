import { defineConfig } from 'drizzle-kit';

// Used only by `npm run db:generate`, which diffs the schema against the checked-in
// migrations and needs no database connection.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations',
});

// A module of its own: the Worker's Neon client (an alias of the package, which must export
// what the package exports and nothing more) and the local Neon stand-in both read it.

/** The fields of a Postgres error that Neon's 400 body carries, copied onto the thrown error. */
export const ERROR_FIELDS = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const;

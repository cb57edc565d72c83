/** One benchmarked route: its table label, and the requests the load generator sends. */
export interface BenchRoute {
  label: string;
  method: 'GET' | 'POST';
  /** Taken in turn; one path means every request is the same. */
  paths: string[];
  body?: string;
}

/** The item routes the hot-path measurements load; `ids` are live items the by-id route cycles through. */
export const itemRoutes = (ids: string[]) =>
  ({
    list: { label: 'GET /api/v1/items?limit=20', method: 'GET', paths: ['/api/v1/items?limit=20'] },
    get: { label: 'GET /api/v1/items/{id}', method: 'GET', paths: ids.map((id) => `/api/v1/items/${id}`) },
    create: { label: 'POST /api/v1/items', method: 'POST', paths: ['/api/v1/items'], body: '{"title":"Bench item"}' },
  }) satisfies Record<string, BenchRoute>;

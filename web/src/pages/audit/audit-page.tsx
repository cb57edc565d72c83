import { useSearchParams } from '@solidjs/router';
import { createResource, Show } from 'solid-js';
import { CursorPager, createCursorTrail } from '../../components/cursor-pager.tsx';
import { FormError } from '../../components/field.tsx';
import { Async, Empty } from '../../components/states.tsx';
import { ApiProblem, api, call } from '../../lib/api.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { AuditFilters } from './audit-filters.tsx';
import { type AuditParams, FILTER_NAMES, toAuditQuery } from './audit-query.ts';
import { AuditTable } from './audit-table.tsx';
import './audit.css';

export default function AuditPage() {
  usePageTitle(() => 'Audit log');
  const [params, setParams] = useSearchParams<Record<keyof AuditParams, string>>();
  const query = () => toAuditQuery({ ...params });
  const [entries, { refetch }] = createResource(
    () => JSON.stringify(query()),
    () => call(api.api.v1.audit.$get({ query: query() })),
  );
  // A filter the API refused (422) is shown beside its field instead of as a page error.
  const invalid = () => {
    const error = entries.error;
    return error instanceof ApiProblem && error.status === 422 ? error : undefined;
  };
  const fieldErrors = () => invalid()?.fieldErrors() ?? {};
  const filtered = () => FILTER_NAMES.some((name) => params[name]);

  const trail = createCursorTrail(
    () => params.cursor,
    (cursor) => setParams({ cursor }),
  );

  const apply = (values: AuditParams) => {
    const next: Record<string, string | undefined> = { cursor: undefined };
    for (const name of FILTER_NAMES) next[name] = values[name];
    setParams(next);
  };

  return (
    <>
      <header class="page-header">
        <h1>Audit log</h1>
      </header>
      <AuditFilters values={{ ...params }} errors={fieldErrors()} onApply={apply} />
      <Show
        when={!invalid()}
        fallback={
          <FormError
            message={
              FILTER_NAMES.some((name) => fieldErrors()[name])
                ? 'Some filters are not valid; see the messages beside them.'
                : invalid()?.message
            }
          />
        }
      >
        <Async of={entries} retry={refetch} loading="Loading the audit log…">
          {(page) => (
            <>
              <Show
                when={page().data.length}
                fallback={<Empty title={filtered() ? 'No entries match these filters' : 'No entries yet'} />}
              >
                <AuditTable entries={page().data} busy={entries.loading} />
              </Show>
              <CursorPager
                trail={trail}
                nextCursor={page().nextCursor}
                shown={page().data.length}
                pageSize={50}
                noun="entries"
              />
            </>
          )}
        </Async>
      </Show>
    </>
  );
}

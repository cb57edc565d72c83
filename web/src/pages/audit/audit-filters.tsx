import { ChoiceOptions } from '../../components/choice-options.tsx';
import { Field } from '../../components/field.tsx';
import { ACTOR_TYPES, type AuditParams, FILTER_NAMES } from './audit-query.ts';

/**
 * The audit filters, applied together on submit (typing in a text field does not reload
 * the list). The API's message for a field it rejected shows beside that field.
 */
export function AuditFilters(props: {
  values: AuditParams;
  errors: Record<string, string>;
  onApply: (values: AuditParams) => void;
}) {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const values: AuditParams = {};
    for (const name of FILTER_NAMES) values[name] = String(form.get(name) ?? '').trim() || undefined;
    props.onApply(values);
  };
  const clear = (event: MouseEvent) => {
    (event.currentTarget as HTMLButtonElement).form?.reset();
    props.onApply({});
  };
  return (
    <search aria-label="Filter the audit log">
      <form class="filters audit-filters" onSubmit={submit} novalidate>
        <Field label="Action" name="action" hint="Exact, or a prefix such as item.*" error={props.errors.action}>
          {(control) => <input {...control} type="text" value={props.values.action ?? ''} placeholder="item.*" />}
        </Field>
        <Field label="Entity type" name="entityType" error={props.errors.entityType}>
          {(control) => <input {...control} type="text" value={props.values.entityType ?? ''} placeholder="item" />}
        </Field>
        <Field label="Entity id" name="entityId" error={props.errors.entityId}>
          {(control) => <input {...control} type="text" value={props.values.entityId ?? ''} />}
        </Field>
        <Field label="Actor type" name="actorType" error={props.errors.actorType}>
          {(control) => (
            <select {...control}>
              <ChoiceOptions of={ACTOR_TYPES} selected={props.values.actorType} any="Anyone" />
            </select>
          )}
        </Field>
        <Field label="From" name="from" error={props.errors.from}>
          {(control) => <input {...control} type="date" value={props.values.from ?? ''} />}
        </Field>
        <Field label="To" name="to" hint="Including this day" error={props.errors.to}>
          {(control) => <input {...control} type="date" value={props.values.to ?? ''} />}
        </Field>
        <div class="actions">
          <button type="submit" class="button primary">
            Apply filters
          </button>
          <button type="button" class="button" onClick={clear}>
            Clear
          </button>
        </div>
      </form>
    </search>
  );
}

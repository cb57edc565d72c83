import { Match, Switch } from 'solid-js';
import { humanize } from '../lib/format.ts';
import { UserRef } from './user-ref.tsx';

/** Who made a change, as the audit trail records it: a person by name, else the kind of caller. */
export function Actor(props: { type: string; id: string | null; layout?: 'name' | 'inline' | 'stacked' }) {
  return (
    <Switch fallback={<span>{humanize(props.type)}</span>}>
      <Match when={props.type === 'user' && props.id}>{(id) => <UserRef id={id()} layout={props.layout} />}</Match>
      <Match when={props.type === 'api_key'}>
        <span>
          API key{' '}
          <code class="muted" title={props.id ?? undefined}>
            {props.id?.slice(0, 8)}
          </code>
        </span>
      </Match>
      <Match when={props.type === 'system' && props.id}>{(id) => <span>System ({id()})</span>}</Match>
    </Switch>
  );
}

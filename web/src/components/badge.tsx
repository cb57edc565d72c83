import { humanize } from '../lib/format.ts';

/** A status or priority shown as a coloured label; the text carries the meaning, the colour only helps. */
export function Badge(props: { value: string }) {
  return <span class={`badge badge-${props.value}`}>{humanize(props.value)}</span>;
}

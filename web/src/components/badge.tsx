import { humanize } from '../lib/format.ts';

/**
 * A state shown as a coloured label; the text carries the meaning, the colour only helps.
 * Priorities are a scale, not a state: they get their own shape and palette (see styles.css),
 * so "High" never looks like "In progress".
 */
export function Badge(props: { value: string; kind?: 'status' | 'priority' }) {
  const kind = () => props.kind ?? 'status';
  return <span class={`badge ${kind()} ${kind()}-${props.value}`}>{humanize(props.value)}</span>;
}

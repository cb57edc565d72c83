import { For } from 'solid-js';
import { humanize } from '../lib/format.ts';

/**
 * A select's options, each marked `selected` itself: a value set on the select before
 * its options exist would be lost. `any` adds a first, empty choice.
 */
export function ChoiceOptions(props: { of: readonly string[]; selected: string | undefined; any?: string }) {
  return (
    <>
      {props.any !== undefined && (
        <option value="" selected={!props.selected}>
          {props.any}
        </option>
      )}
      <For each={props.of}>
        {(value) => (
          <option value={value} selected={value === props.selected}>
            {humanize(value)}
          </option>
        )}
      </For>
    </>
  );
}

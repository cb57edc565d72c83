import { createUniqueId, For, Index, Show } from 'solid-js';
import { formatNumber } from '../lib/format.ts';
import './charts.css';

export interface Datum {
  label: string;
  value: number;
  /**
   * The theme colour of its bar (`chart-2`, `priority-high`…). Without one, bars take the six
   * category colours in turn, which say nothing about success or failure.
   */
  colour?: string;
}

/** A theme colour; both themes define every one with enough contrast on their surface. */
function colour(datum: Datum, index: number): string {
  return `var(--${datum.colour ?? `category-${(index % 6) + 1}`})`;
}

/**
 * Horizontal bars as a real list: each row reads "label value" to a screen reader,
 * the bar itself is decoration scaled to the largest value.
 */
export function BarList(props: { label: string; data: Datum[]; format?: (value: number) => string }) {
  const max = () => Math.max(1, ...props.data.map((d) => d.value));
  const format = (value: number) => (props.format ?? formatNumber)(value);
  return (
    <ul class="bars bar-list" aria-label={props.label}>
      <For each={props.data}>
        {(datum, index) => (
          <li class="bar-row">
            <span class="bar-label" title={datum.label}>
              {datum.label}
            </span>
            <span class="bar-track" aria-hidden="true">
              <span
                class="bar-fill"
                style={{ width: `${(datum.value / max()) * 100}%`, background: colour(datum, index()) }}
              />
            </span>
            <span class="bar-value">{format(datum.value)}</span>
          </li>
        )}
      </For>
    </ul>
  );
}

/**
 * The x labels to show, by index: at most `max`, spaced evenly from the last (newest) back.
 * Each maps to its rank counted from the newest; odd ranks are left out on narrow screens.
 */
export function labelledIndexes(count: number, max: number): Map<number, number> {
  const every = Math.max(1, Math.ceil(count / Math.max(1, max)));
  const shown = new Map<number, number>();
  for (let i = count - 1; i >= 0; i -= every) shown.set(i, shown.size);
  return shown;
}

/**
 * Columns over a series (days), drawn in SVG; the labels are HTML so they keep their
 * size on a phone. Screen readers get a one-line summary and the figures as a table.
 */
export function ColumnChart(props: { label: string; data: Datum[]; maxLabels?: number }) {
  const id = createUniqueId();
  const max = () => Math.max(1, ...props.data.map((d) => d.value));
  const shown = () => labelledIndexes(props.data.length, props.maxLabels ?? 6);
  const summary = () => {
    const data = props.data;
    if (!data.length) return `${props.label}: no data`;
    const total = data.reduce((sum, d) => sum + d.value, 0);
    const peak = data.reduce((best, d) => (d.value > best.value ? d : best));
    return (
      `${props.label}: ${data.length} values from ${data[0]?.label} to ${data.at(-1)?.label}, ` +
      `total ${formatNumber(total)}, highest ${formatNumber(peak.value)} (${peak.label})`
    );
  };
  const step = () => 100 / Math.max(1, props.data.length);
  return (
    <figure class="chart column-chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`} class="visually-hidden">
        {props.label}
      </figcaption>
      <div class="column-plot">
        <span class="column-max" aria-hidden="true">
          {formatNumber(max())}
        </span>
        <span class="column-zero" aria-hidden="true">
          0
        </span>
        <svg role="img" aria-label={summary()} viewBox="0 0 100 100" preserveAspectRatio="none">
          <line class="gridline" x1="0" x2="100" y1="0.5" y2="0.5" vector-effect="non-scaling-stroke" />
          <line class="baseline" x1="0" x2="100" y1="100" y2="100" vector-effect="non-scaling-stroke" />
          <Index each={props.data}>
            {(datum, i) => (
              <rect
                class="column"
                x={i * step() + step() * 0.15}
                width={step() * 0.7}
                y={100 - (datum().value / max()) * 100}
                height={(datum().value / max()) * 100}
              >
                <title>{`${datum().label}: ${formatNumber(datum().value)}`}</title>
              </rect>
            )}
          </Index>
        </svg>
      </div>
      <div class="column-labels" aria-hidden="true">
        <Index each={props.data}>
          {(datum, i) => (
            <Show when={shown().has(i)}>
              <span
                classList={{
                  first: i === 0,
                  last: i === props.data.length - 1,
                  minor: (shown().get(i) ?? 0) % 2 === 1,
                }}
                style={{ left: i === 0 || i === props.data.length - 1 ? undefined : `${(i + 0.5) * step()}%` }}
              >
                {datum().label}
              </span>
            </Show>
          )}
        </Index>
      </div>
      <table class="visually-hidden">
        <caption>{props.label}</caption>
        <thead>
          <tr>
            <th scope="col">Label</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.data}>
            {(datum) => (
              <tr>
                <th scope="row">{datum.label}</th>
                <td>{formatNumber(datum.value)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </figure>
  );
}

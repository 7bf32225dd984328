/**
 * A horizontal bar chart drawn as SVG by hand. No charting library: the smallest ones still weigh
 * 20 to 60 KB gzipped, a third of the console's whole first-load budget (150 KB), for bars that take
 * forty lines here. Colour comes from classes in the style sheet (the CSP allows no inline style).
 * The drawing is hidden from screen readers: the same numbers follow it as a table, for everyone.
 */
export interface Bar {
  key: string;
  label: string;
  value: number;
  /** The value in words when a plain number would mislead (a percentage, "no data"). */
  text?: string;
}

interface BarChartProps {
  title: string;
  bars: Bar[];
  /** The scale's end; the largest value by default (100 for percentages). */
  max?: number;
  valueHeader: string;
  name: string;
}

const WIDTH = 340;
const LABEL = 130;
const ROW = 22;

export function BarChart({ title, bars, max, valueHeader, name }: BarChartProps) {
  const end = max ?? Math.max(1, ...bars.map((bar) => bar.value));
  const scale = (WIDTH - LABEL - 48) / end;
  const height = Math.max(ROW, bars.length * ROW);
  return (
    <figure class="chart" data-chart={name}>
      <figcaption>{title}</figcaption>
      <svg
        width={WIDTH}
        height={height}
        viewBox={`0 0 ${WIDTH} ${height}`}
        aria-hidden="true"
        focusable="false"
        class="bars"
      >
        {bars.map((bar, index) => (
          <g key={bar.key} transform={`translate(0 ${index * ROW})`}>
            <text x={LABEL - 6} y={ROW / 2 + 4} text-anchor="end" class="bar-label">
              {bar.label.length > 20 ? `${bar.label.slice(0, 19)}…` : bar.label}
            </text>
            <rect
              x={LABEL}
              y={4}
              height={ROW - 8}
              width={Math.max(bar.value > 0 ? 2 : 0, bar.value * scale)}
              class="bar"
            />
            <text x={LABEL + bar.value * scale + 4} y={ROW / 2 + 4} class="bar-value">
              {bar.text ?? String(bar.value)}
            </text>
          </g>
        ))}
      </svg>
      <table class="chart-table">
        <thead>
          <tr>
            <th scope="col">{title}</th>
            <th scope="col">{valueHeader}</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((bar) => (
            <tr key={bar.key} data-item={bar.key}>
              <th scope="row">{bar.label}</th>
              <td>{bar.text ?? String(bar.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/**
 * Lines over a shared x axis, drawn as plain SVG: the dashboard carries no chart library. A null value is a gap (no
 * figure for that point), so a line breaks there instead of dropping to zero.
 */

export interface ChartSeries {
  name: string;
  colour: string;
  values: (number | null)[];
  /** What the legend says after the name: a total, a median. */
  figure: string;
}

export function LineChart({
  series,
  firstLabel,
  lastLabel,
  summary,
  formatValue = String,
}: {
  series: ChartSeries[];
  firstLabel: string;
  lastLabel: string;
  /** The chart's figures in words, for a screen reader. */
  summary: string;
  formatValue?: (value: number) => string;
}) {
  const width = 640;
  const height = 200;
  const pad = { left: 48, right: 12, top: 10, bottom: 28 };
  const length = Math.max(0, ...series.map((line) => line.values.length));
  const max = Math.max(1, ...series.flatMap((line) => line.values.filter((value) => value !== null)));
  const x = (i: number) => pad.left + (length > 1 ? i / (length - 1) : 0.5) * (width - pad.left - pad.right);
  const y = (value: number) => pad.top + (1 - value / max) * (height - pad.top - pad.bottom);
  return (
    <figure className="space-y-2">
      <svg
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${width} ${height}`}
        className="h-auto w-full max-w-2xl"
      >
        <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} stroke="#cbd5e1" />
        <text x={pad.left - 6} y={y(max) + 4} textAnchor="end" fontSize="11" fill="#475569">
          {formatValue(max)}
        </text>
        <text x={pad.left - 6} y={y(0) + 4} textAnchor="end" fontSize="11" fill="#475569">
          {formatValue(0)}
        </text>
        <text x={pad.left} y={height - 8} fontSize="11" fill="#475569">
          {firstLabel}
        </text>
        <text x={width - pad.right} y={height - 8} textAnchor="end" fontSize="11" fill="#475569">
          {lastLabel}
        </text>
        {series.map((line) =>
          runsOf(line.values).map((run) =>
            run.length === 1 ? (
              <circle
                key={`${line.name}-${run[0]!.i}`}
                cx={x(run[0]!.i)}
                cy={y(run[0]!.value)}
                r="3"
                fill={line.colour}
              />
            ) : (
              <polyline
                key={`${line.name}-${run[0]!.i}`}
                fill="none"
                stroke={line.colour}
                strokeWidth="2"
                points={run.map(({ i, value }) => `${x(i).toFixed(1)},${y(value).toFixed(1)}`).join(' ')}
              />
            ),
          ),
        )}
      </svg>
      <ChartLegend series={series} />
    </figure>
  );
}

export function ChartLegend({ series }: { series: Pick<ChartSeries, 'name' | 'colour' | 'figure'>[] }) {
  return (
    <figcaption className="flex flex-wrap gap-4 text-sm">
      {series.map((line) => (
        <span key={line.name} className="flex items-center gap-1">
          <span
            aria-hidden="true"
            className="inline-block h-2 w-4 rounded"
            style={{ background: line.colour }}
          />
          {line.name}: {line.figure}
        </span>
      ))}
    </figcaption>
  );
}

/** The stretches of consecutive values that have a figure. */
function runsOf(values: (number | null)[]): { i: number; value: number }[][] {
  const runs: { i: number; value: number }[][] = [];
  let run: { i: number; value: number }[] = [];
  values.forEach((value, i) => {
    if (value === null) {
      if (run.length > 0) runs.push(run);
      run = [];
    } else run.push({ i, value });
  });
  if (run.length > 0) runs.push(run);
  return runs;
}

/** One strategy's curve: mean and standard deviation of regret at each x. */
export interface RegretSeries {
  name: string;
  /** Same length as the plot's `x`; null where no run has an answer yet. */
  mean: Array<number | null>;
  std: Array<number | null>;
}

/** Options of {@link regretPlotSvg}. */
export interface RegretPlotOptions {
  title: string;
  /** Simulated seconds of each point, increasing. */
  x: readonly number[];
  series: readonly RegretSeries[];
  xLabel: string;
  yLabel: string;
}

const WIDTH = 760;
const HEIGHT = 460;
const MARGIN = { left: 70, right: 200, top: 40, bottom: 56 };
const COLORS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
];
/** Regret below this is drawn at it: a log axis has no zero (a run that found the optimum has regret 0). */
const FLOOR = 1e-3;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fixed(n: number): string {
  return n.toFixed(2);
}

/**
 * A self-contained SVG of mean regret (log scale) against simulated seconds with ±1 std bands, one
 * `<g class="series" data-strategy="…">` per strategy holding its band and its mean line, and a legend. Values outside
 * the decades the means span (the lower band edge, mean − std, is often ≤ 0) are clipped to the axis.
 */
export function regretPlotSvg(options: RegretPlotOptions): string {
  const { x, series } = options;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const xMax = Math.max(...x);
  const values = series.flatMap((s) =>
    s.mean.flatMap((m, i) => (m === null ? [] : [Math.max(m, FLOOR), Math.max(m + (s.std[i] ?? 0), FLOOR)])),
  );
  const logMin = Math.floor(Math.log10(Math.max(FLOOR, Math.min(...values, 1))));
  const logMax = Math.ceil(Math.log10(Math.max(...values, 10 ** (logMin + 1))));
  const px = (seconds: number) => MARGIN.left + (seconds / xMax) * plotW;
  // Clamped to the axis: the lower band edge (mean − std) is often at or below zero.
  const py = (regret: number) =>
    MARGIN.top +
    ((logMax - Math.min(logMax, Math.max(logMin, Math.log10(Math.max(regret, FLOOR))))) / (logMax - logMin)) * plotH;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
  );
  parts.push(`<title>${escapeXml(options.title)}</title>`);
  parts.push(`<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="white"/>`);
  parts.push(`<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="14">${escapeXml(options.title)}</text>`);
  // Axes, decade ticks on y, five ticks on x.
  parts.push(
    `<g class="axes" stroke="#333" fill="none"><path d="M${MARGIN.left} ${MARGIN.top}V${MARGIN.top + plotH}H${MARGIN.left + plotW}"/></g>`,
  );
  const ticks: string[] = [];
  for (let e = logMin; e <= logMax; e++) {
    const y = fixed(py(10 ** e));
    ticks.push(`<line x1="${MARGIN.left - 4}" y1="${y}" x2="${MARGIN.left + plotW}" y2="${y}" stroke="#ddd"/>`);
    ticks.push(
      `<text x="${MARGIN.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(10 ** e >= 1 ? String(10 ** e) : (10 ** e).toFixed(-e))}</text>`,
    );
  }
  for (let i = 0; i <= 5; i++) {
    const seconds = (xMax * i) / 5;
    const xx = fixed(px(seconds));
    ticks.push(`<line x1="${xx}" y1="${MARGIN.top + plotH}" x2="${xx}" y2="${MARGIN.top + plotH + 4}" stroke="#333"/>`);
    ticks.push(`<text x="${xx}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${Math.round(seconds)}</text>`);
  }
  parts.push(`<g class="ticks">${ticks.join('')}</g>`);
  parts.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 12}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
  );

  series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length];
    const points = x.flatMap((seconds, i) =>
      s.mean[i] === null ? [] : [{ seconds, mean: s.mean[i]!, std: s.std[i] ?? 0 }],
    );
    const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${fixed(px(p.seconds))} ${fixed(py(p.mean))}`).join('');
    const upper = points
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${fixed(px(p.seconds))} ${fixed(py(p.mean + p.std))}`)
      .join('');
    const lower = [...points]
      .reverse()
      .map((p) => `L${fixed(px(p.seconds))} ${fixed(py(p.mean - p.std))}`)
      .join('');
    parts.push(`<g class="series" data-strategy="${escapeXml(s.name)}">`);
    if (points.length > 0) {
      parts.push(`<path class="band" d="${upper}${lower}Z" fill="${color}" fill-opacity="0.15" stroke="none"/>`);
      parts.push(`<path class="mean" d="${line}" fill="none" stroke="${color}" stroke-width="2"/>`);
    }
    const ly = MARGIN.top + 10 + k * 20;
    parts.push(
      `<line x1="${WIDTH - MARGIN.right + 16}" y1="${ly}" x2="${WIDTH - MARGIN.right + 40}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
    );
    parts.push(
      `<text x="${WIDTH - MARGIN.right + 46}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`,
    );
    parts.push('</g>');
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

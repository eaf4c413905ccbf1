import { describe, expect, it } from 'vitest';
import { parseXmlElements } from '../../test/support/xml-well-formed';
import { regretPlotSvg } from './regret-plot';

describe('regretPlotSvg', () => {
  it('is well-formed SVG with one series (band and mean line) per strategy, escaping names', () => {
    const x = [100, 200, 300, 400];
    const svg = regretPlotSvg({
      title: 'a <test> & plot',
      x,
      xLabel: 'simulated seconds',
      yLabel: 'regret',
      series: [
        { name: 'RANDOM', mean: [null, 1.2, 0.8, 0.6], std: [null, 0.5, 0.9, 0.2] },
        { name: 'REINFORCE(learningRate=0.1)', mean: [2, 1, 0.3, 0], std: [1, 1.5, 0.2, 0] },
        { name: 'A&B', mean: [5, 4, 3, 2], std: [0, 0, 0, 0] },
      ],
    });
    const elements = parseXmlElements(svg);
    expect(elements[0]).toMatchObject({ name: 'svg', attributes: { xmlns: 'http://www.w3.org/2000/svg' } });
    const series = elements.filter((e) => e.name === 'g' && e.attributes.class === 'series');
    expect(series.map((s) => s.attributes['data-strategy'])).toEqual([
      'RANDOM',
      'REINFORCE(learningRate=0.1)',
      'A&amp;B',
    ]);
    expect(elements.filter((e) => e.attributes.class === 'mean')).toHaveLength(3);
    expect(elements.filter((e) => e.attributes.class === 'band')).toHaveLength(3);
    // Zero regret and bands below zero are clipped to the axis, never NaN or off the canvas.
    expect(svg).not.toMatch(/NaN|Infinity/);
    for (const path of elements.filter((e) => e.name === 'path' && e.attributes.d.includes('L'))) {
      for (const [, y] of path.attributes.d.matchAll(/[ML][\d.]+ (-?[\d.]+)/g))
        expect(Number(y)).toBeGreaterThanOrEqual(0);
    }
  });

  it('rejects what is not well-formed (the checker the tests rely on)', () => {
    expect(() => parseXmlElements('<svg><g></svg>')).toThrow();
    expect(() => parseXmlElements('<svg a="1" a="2"/>')).toThrow();
    expect(() => parseXmlElements('<svg>x & y</svg>')).toThrow();
    expect(() => parseXmlElements('<svg/><svg/>')).toThrow();
  });
});

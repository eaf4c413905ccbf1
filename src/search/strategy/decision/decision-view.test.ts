import { describe, expect, it } from 'vitest';
import { createRng, dartsSpace, nb101Space, nb201Space, type SearchSpace } from '../../../core';
import { decisionViewOf } from './decision-view';

describe('decision views', () => {
  for (const space of [nb201Space, nb101Space, dartsSpace] as SearchSpace<unknown>[]) {
    it(`${space.name}: every sampled architecture round-trips through its decisions`, () => {
      const view = decisionViewOf(space)!;
      const rng = createRng(11);
      for (let i = 0; i < 200; i++) {
        const arch = space.sample(rng);
        const decisions = view.toDecisions(arch);
        expect(decisions).toHaveLength(view.sizes.length);
        decisions.forEach((d, k) => expect(d >= 0 && d < view.sizes[k]).toBe(true));
        expect(space.id(view.fromDecisions(decisions)!)).toBe(space.id(arch));
      }
    });

    it(`${space.name}: a random decision vector is null or a valid architecture`, () => {
      const view = decisionViewOf(space)!;
      const rng = createRng(12);
      let valid = 0;
      for (let i = 0; i < 300; i++) {
        const arch = view.fromDecisions(view.sizes.map((size) => rng.int(size)));
        if (arch === null) continue;
        valid++;
        expect(space.format(space.validate(arch))).toBe(space.format(arch));
      }
      expect(valid).toBeGreaterThan(0);
    });
  }
});

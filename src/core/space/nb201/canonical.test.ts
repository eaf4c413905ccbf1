import { describe, expect, it } from 'vitest';
import { nb201IsoClass } from './canonical';
import { enumerateNb201 } from './enumerate';
import { natsUniqueStr } from './nats-unique-str';
import { parseNb201 } from './parse';

const iso = (text: string): string => nb201IsoClass(parseNb201(text));

describe('nb201IsoClass', () => {
  it('splits the 15,625 cells into exactly 5,390 classes', () => {
    const classes = new Set<string>();
    for (const arch of enumerateNb201()) classes.add(nb201IsoClass(arch));
    expect(classes.size).toBe(5390);
  });

  it('ignores the order of parallel branches', () => {
    // Nodes 1 and 2 are parallel branches of the input (2←1 is none) summed at node 3: swapping them is an isomorphism.
    expect(iso('|nor_conv_3x3~0|+|nor_conv_1x1~0|none~1|+|none~0|skip_connect~1|skip_connect~2|')).toBe(
      iso('|nor_conv_1x1~0|+|nor_conv_3x3~0|none~1|+|none~0|skip_connect~1|skip_connect~2|'),
    );
    // Node 1 is a copy of the input, so node 3's two terms can trade edges.
    expect(iso('|skip_connect~0|+|none~0|none~1|+|nor_conv_3x3~0|avg_pool_3x3~1|none~2|')).toBe(
      iso('|skip_connect~0|+|none~0|none~1|+|avg_pool_3x3~0|nor_conv_3x3~1|none~2|'),
    );
  });

  it('ignores a dead branch, whatever its ops', () => {
    // Node 1 is only read by node 2, and node 2's edge from node 1 is `none`: node 1's op is dead.
    const base = '|OP~0|+|nor_conv_3x3~0|none~1|+|skip_connect~0|none~1|avg_pool_3x3~2|';
    const classes = new Set(
      ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'].map((op) => iso(base.replace('OP', op))),
    );
    expect(classes.size).toBe(1);
  });

  it('treats an op applied to a zero node as zero', () => {
    expect(iso('|none~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|avg_pool_3x3~2|')).toBe(
      iso('|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|'),
    );
    expect(iso('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|')).toBe('#');
  });

  it('keeps functionally different cells apart', () => {
    expect(iso('|nor_conv_3x3~0|+|none~0|none~1|+|none~0|skip_connect~1|none~2|')).not.toBe(
      iso('|nor_conv_1x1~0|+|none~0|none~1|+|none~0|skip_connect~1|none~2|'),
    );
    expect(iso('|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|')).toBe('0');
  });
});

describe('natsUniqueStr', () => {
  it('splits the 15,625 cells into exactly 6,466 strings', () => {
    const classes = new Set<string>();
    for (const arch of enumerateNb201()) classes.add(natsUniqueStr(arch));
    expect(classes.size).toBe(6466);
  });

  it('keeps zero terms, so x+# differs from x', () => {
    const withZero = parseNb201('|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|');
    expect(natsUniqueStr(withZero)).toBe('#+#+0');
    expect(nb201IsoClass(withZero)).toBe('0');
  });
});

import { NB201_EDGES, NB201_NODE_COUNT, type Nb201Arch } from './cell';

/** Options of {@link nb201CellExpression}. */
export interface Nb201CellExpressionOptions {
  /** Drop `#` (zero) terms from a node's sum, keeping `#` only for a node whose every term is zero. */
  dropZeroTerms: boolean;
}

const ZERO = '#';

/**
 * The output node of a cell written as an expression over the input `0`, in NATS-Bench's `to_unique_str` notation:
 * `none` and any op applied to a zero node give `#`; `skip_connect` passes its input's string through unchanged;
 * another op wraps it as `(x)@op`; a node is its terms sorted (string order) and joined by `+`, without brackets.
 *
 * Porting note: like NATS-Bench, a sum passed on by `skip_connect` is not re-sorted into the outer sum, and a node is
 * zero only when its string is exactly `#`. Both quirks change which cells share a string, so they are kept as is:
 * the class counts the benchmark community uses (6,466 and 5,390) depend on them.
 */
export function nb201CellExpression(arch: Nb201Arch, options: Nb201CellExpressionOptions): string {
  const nodes: string[] = ['0'];
  for (let node = 1; node <= NB201_NODE_COUNT; node++) {
    const terms: string[] = [];
    for (let edge = 0; edge < NB201_EDGES.length; edge++) {
      const [to, from] = NB201_EDGES[edge];
      if (to !== node) continue;
      const op = arch[edge];
      const input = nodes[from];
      if (op === 'none' || input === ZERO) {
        if (!options.dropZeroTerms) terms.push(ZERO);
      } else if (op === 'skip_connect') {
        terms.push(input);
      } else {
        terms.push(`(${input})@${op}`);
      }
    }
    nodes.push(terms.length === 0 ? ZERO : terms.sort().join('+'));
  }
  return nodes[NB201_NODE_COUNT];
}

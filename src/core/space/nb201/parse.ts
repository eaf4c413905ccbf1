import { InvalidArchitectureError } from '../../error/invalid-architecture-error';
import { invariant } from '../../error/invariant';
import { NB201_EDGE_COUNT, NB201_NODE_COUNT, type Nb201Arch } from './cell';
import { formatNb201 } from './format';
import { NB201_MAX_TEXT_LENGTH, Nb201InvalidReason, type Nb201InvalidReasonValue } from './invalid-reason';
import { NB201_OPS, nb201OpIndex, type Nb201Op } from './op';

const PLUS = 43;
const BAR = 124;
const TILDE = 126;
/** An edge `op~k|` (any word, any index) starting at `lastIndex`: tells "too many edges" from other trailing text. */
const EXTRA_EDGE = /[A-Za-z0-9_]+~[0-9]+\|/y;

function fail(message: string, position: number, reason: Nb201InvalidReasonValue, field?: string): never {
  const details = { space: 'nb201', position, reason, ...(field === undefined ? {} : { field }) };
  throw new InvalidArchitectureError(`${message} at position ${position}`, details);
}

/** Op names are snake_case; reading any [A-Za-z0-9_] run gives "unknown op" rather than a vaguer error. */
function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Parses an NB201 arch string `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|` into its six edge ops.
 *
 * Strict by design: leading and trailing whitespace (as `String.prototype.trim` defines it) is ignored and no other
 * whitespace is; node j lists its inputs 0..j-1 exactly once and in order; `~k` has no leading zeros. Text longer
 * than {@link NB201_MAX_TEXT_LENGTH} is refused before scanning. Error positions are 0-based offsets into the
 * original, untrimmed text; `field` is `ops[i]` (edge order) where one edge is at fault.
 */
export function parseNb201(text: string): Nb201Arch {
  const known = parsedCanonical.get(text);
  if (known) return known;
  const ops = scan(text);
  // Only canonical texts are kept: at most one per cell, whatever texts clients send.
  if (formatNb201(ops) === text) parsedCanonical.set(text, Object.freeze(ops));
  return ops;
}

/** Cells by their canonical text, parsed once (15,625 at most): clients mostly send the canonical text back. */
const parsedCanonical = new Map<string, Nb201Arch>();

function scan(text: string): Nb201Arch {
  if (text.length > NB201_MAX_TEXT_LENGTH) {
    fail(
      `architecture text of ${text.length} characters is over the limit of ${NB201_MAX_TEXT_LENGTH}`,
      NB201_MAX_TEXT_LENGTH,
      Nb201InvalidReason.TOO_LONG,
    );
  }
  const start = text.length - text.trimStart().length;
  const end = start + text.trim().length;
  if (start === end) fail('empty architecture text', 0, Nb201InvalidReason.EMPTY);

  let at = start;
  const code = (): number => (at < end ? text.charCodeAt(at) : -1);
  const shown = (): string => (at < end ? JSON.stringify(text[at]) : 'end of input');
  const expect = (char: number, what: string): void => {
    if (code() !== char) fail(`expected ${what}, got ${shown()}`, at, Nb201InvalidReason.UNEXPECTED_CHARACTER);
    at++;
  };

  const ops: Nb201Op[] = [];
  for (let node = 1; node <= NB201_NODE_COUNT; node++) {
    if (node > 1) {
      if (at >= end)
        fail(`expected ${NB201_NODE_COUNT} nodes, got ${node - 1}`, at, Nb201InvalidReason.WRONG_NODE_COUNT);
      expect(PLUS, '"+"');
    }
    expect(BAR, '"|"');
    for (let input = 0; ; input++) {
      const field = `ops[${ops.length}]`;
      const opStart = at;
      while (isWordChar(code())) at++;
      if (at === opStart) fail(`expected an op name, got ${shown()}`, at, Nb201InvalidReason.UNEXPECTED_CHARACTER);
      const name = text.slice(opStart, at);
      const op = nb201OpIndex(name);
      if (op < 0) fail(`unknown op ${JSON.stringify(name)}`, opStart, Nb201InvalidReason.UNKNOWN_OP, field);
      expect(TILDE, '"~" after the op');
      const indexStart = at;
      while (isDigit(code())) at++;
      if (at === indexStart)
        fail(`expected an input index, got ${shown()}`, at, Nb201InvalidReason.UNEXPECTED_CHARACTER);
      const index = text.slice(indexStart, at);
      if (index !== String(input)) {
        fail(
          `edge ${input} of node ${node} must read node ${input}, not ~${index}`,
          indexStart,
          Nb201InvalidReason.WRONG_INPUT_INDEX,
          field,
        );
      }
      expect(BAR, '"|"');
      ops.push(NB201_OPS[op]);
      if (code() === -1 || code() === PLUS) {
        if (input + 1 !== node)
          fail(`node ${node} takes ${node} edges, got ${input + 1}`, at, Nb201InvalidReason.WRONG_EDGE_COUNT);
        break;
      }
      if (input + 1 === node) {
        EXTRA_EDGE.lastIndex = at;
        if (EXTRA_EDGE.test(text))
          fail(`node ${node} takes ${node} edges, got more`, at, Nb201InvalidReason.WRONG_EDGE_COUNT);
        if (node === NB201_NODE_COUNT) break;
        fail(`expected "+" after node ${node}, got ${shown()}`, at, Nb201InvalidReason.UNEXPECTED_CHARACTER);
      }
    }
  }
  if (code() === PLUS) fail(`expected ${NB201_NODE_COUNT} nodes, got more`, at, Nb201InvalidReason.WRONG_NODE_COUNT);
  if (at < end) fail(`unexpected ${shown()} after the architecture`, at, Nb201InvalidReason.TRAILING_CHARACTERS);
  invariant(ops.length === NB201_EDGE_COUNT, 'nb201 parser produced a wrong edge count');
  return ops;
}

import { failDarts } from './fail';
import { DartsInvalidReason } from './invalid-reason';
import {
  RAW_DARTS_FIELDS,
  type RawDartsCell,
  type RawDartsConcat,
  type RawDartsField,
  type RawDartsGenotype,
  type RawDartsPair,
} from './raw-genotype';
import { tokenizeDarts, type DartsToken } from './tokenize';

/** `range(a, b)` spans longer than this are not spelled out (they can only be a bad concat anyway). */
const MAX_RANGE = 64;

const CLOSING: Record<string, string> = { '(': ')', '[': ']' };

/** Recursive-descent reader over the token list; every method consumes tokens or throws with a position. */
class GenotypeReader {
  private at = 0;

  constructor(private readonly tokens: DartsToken[]) {}

  private peek(): DartsToken {
    return this.tokens[this.at];
  }

  private next(): DartsToken {
    const token = this.tokens[this.at];
    if (token.kind !== 'end') this.at++;
    return token;
  }

  private fail(token: DartsToken, expected: string): never {
    if (token.kind === 'end')
      failDarts(`expected ${expected}, got the end of the text`, DartsInvalidReason.UNEXPECTED_END, {
        position: token.position,
      });
    const shown = JSON.stringify(token.text.slice(0, 40));
    failDarts(`expected ${expected}, got ${shown} at position ${token.position}`, DartsInvalidReason.UNEXPECTED_TOKEN, {
      position: token.position,
    });
  }

  private expectPunct(char: string): DartsToken {
    const token = this.next();
    if (token.kind !== 'punct' || token.text !== char) this.fail(token, `"${char}"`);
    return token;
  }

  /** Consumes `,` then reports whether the list goes on; a trailing comma before the closer is allowed. */
  private more(closer: string): boolean {
    const token = this.peek();
    if (token.kind === 'punct' && token.text === closer) return false;
    this.expectPunct(',');
    const after = this.peek();
    return !(after.kind === 'punct' && after.text === closer);
  }

  private open(): string {
    const token = this.next();
    if (token.kind !== 'punct' || !(token.text in CLOSING)) this.fail(token, '"[" or "("');
    return CLOSING[token.text];
  }

  private int(): { value: number; position: number } {
    const token = this.next();
    if (token.kind !== 'int') this.fail(token, 'an integer');
    return { value: Number(token.text), position: token.position };
  }

  private pair(): RawDartsPair {
    const closer = this.open();
    const op = this.next();
    if (op.kind !== 'string') this.fail(op, 'a quoted op name');
    this.expectPunct(',');
    const input = this.int();
    this.more(closer);
    this.expectPunct(closer);
    return { op: { value: op.text, position: op.position }, input };
  }

  private cell(): RawDartsCell {
    const position = this.peek().position;
    const closer = this.open();
    const pairs: RawDartsPair[] = [];
    const first = this.peek();
    if (!(first.kind === 'punct' && first.text === closer)) {
      do pairs.push(this.pair());
      while (this.more(closer));
    }
    this.expectPunct(closer);
    return { pairs, position };
  }

  private concat(): RawDartsConcat {
    const position = this.peek().position;
    if (this.peek().kind === 'name' && this.peek().text === 'range') {
      this.next();
      this.expectPunct('(');
      const start = this.int().value;
      this.expectPunct(',');
      const stop = this.int().value;
      this.more(')');
      this.expectPunct(')');
      const span = stop - start;
      const values = span > MAX_RANGE ? null : Array.from({ length: Math.max(0, span) }, (_, i) => start + i);
      return { values, position };
    }
    const closer = this.open();
    const values: number[] = [];
    const first = this.peek();
    if (!(first.kind === 'punct' && first.text === closer)) {
      do values.push(this.int().value);
      while (this.more(closer));
    }
    this.expectPunct(closer);
    return { values, position };
  }

  /** Reads the whole text: `Genotype(` keyword fields in any order `)`, then the end. */
  genotype(): RawDartsGenotype {
    const head = this.next();
    if (head.kind !== 'name' || head.text !== 'Genotype') this.fail(head, '"Genotype("');
    this.expectPunct('(');
    const raw: RawDartsGenotype = {};
    if (!(this.peek().kind === 'punct' && this.peek().text === ')')) {
      do {
        const name = this.next();
        if (name.kind !== 'name') this.fail(name, 'a field name');
        if (!(RAW_DARTS_FIELDS as readonly string[]).includes(name.text)) {
          failDarts(
            `unknown field ${JSON.stringify(name.text.slice(0, 40))} (fields: ${RAW_DARTS_FIELDS.join(', ')})`,
            DartsInvalidReason.UNKNOWN_FIELD,
            { field: name.text.slice(0, 40), position: name.position },
          );
        }
        const field = name.text as RawDartsField;
        if (raw[field] !== undefined)
          failDarts(`field ${field} given twice`, DartsInvalidReason.DUPLICATE_FIELD, {
            field,
            position: name.position,
          });
        this.expectPunct('=');
        if (field === 'normal' || field === 'reduce') raw[field] = this.cell();
        else raw[field] = this.concat();
      } while (this.more(')'));
    }
    this.expectPunct(')');
    const rest = this.peek();
    if (rest.kind !== 'end') {
      failDarts(
        `unexpected text after the genotype at position ${rest.position}`,
        DartsInvalidReason.STRAY_CHARACTERS,
        { position: rest.position },
      );
    }
    return raw;
  }
}

/**
 * Reads the Python text of a genotype as DARTS and NAS-Bench-301 print it,
 * `Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=[2, 3, 4, 5], reduce=[...], reduce_concat=range(2, 6))`:
 * any whitespace between tokens, either quote, `[...]` or `(...)` for lists and pairs, trailing commas, keyword
 * fields in any order, concats optional. Positions are offsets into `text`. Returns the pairs as read; the caller
 * validates them.
 */
export function parseDartsPython(text: string): RawDartsGenotype {
  return new GenotypeReader(tokenizeDarts(text)).genotype();
}

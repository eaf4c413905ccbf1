import { failDarts } from './fail';
import { DartsInvalidReason } from './invalid-reason';

/** A token of the Python genotype text. */
export interface DartsToken {
  /** `name` (identifier), `int` (optionally negative), `string` (quoted), `punct` (one of `()[],=`), or `end`. */
  kind: 'name' | 'int' | 'string' | 'punct' | 'end';
  /** The token's text; for a string, its content without quotes. */
  text: string;
  /** 0-based offset of the token's first character. */
  position: number;
}

const PUNCT = new Set(['(', ')', '[', ']', ',', '=']);

function isSpace(char: string): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r';
}

function isNameStart(char: string): boolean {
  return (char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z') || char === '_';
}

function isDigit(char: string): boolean {
  return char >= '0' && char <= '9';
}

/**
 * Splits Python genotype text into tokens, ending with one `end` token. Strings take either quote and end at the
 * same quote on the same line (no escapes: op names have none). Any other character is `stray-characters`.
 */
export function tokenizeDarts(text: string): DartsToken[] {
  const tokens: DartsToken[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at];
    const start = at;
    if (isSpace(char)) {
      at++;
    } else if (PUNCT.has(char)) {
      tokens.push({ kind: 'punct', text: char, position: at++ });
    } else if (isNameStart(char)) {
      while (at < text.length && (isNameStart(text[at]) || isDigit(text[at]))) at++;
      tokens.push({ kind: 'name', text: text.slice(start, at), position: start });
    } else if (isDigit(char) || (char === '-' && isDigit(text[at + 1] ?? ''))) {
      at++;
      while (at < text.length && isDigit(text[at])) at++;
      tokens.push({ kind: 'int', text: text.slice(start, at), position: start });
    } else if (char === "'" || char === '"') {
      at++;
      while (at < text.length && text[at] !== char && text[at] !== '\n') at++;
      if (text[at] !== char)
        failDarts('unterminated string', DartsInvalidReason.UNTERMINATED_STRING, { position: start });
      tokens.push({ kind: 'string', text: text.slice(start + 1, at), position: start });
      at++;
    } else {
      failDarts(`unexpected character ${JSON.stringify(char)} at position ${at}`, DartsInvalidReason.STRAY_CHARACTERS, {
        position: at,
      });
    }
  }
  tokens.push({ kind: 'end', text: '', position: text.length });
  return tokens;
}

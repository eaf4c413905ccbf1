import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';

/**
 * True when a query document has more than `max` lexical tokens. Parsing and validating cost grows with the tokens
 * (validation is quadratic in fields of one name), so this runs before either; a query shorter than `max` characters
 * cannot exceed it and is not lexed. A lexing error stops the count: the parser reports it.
 */
export function exceedsTokens(query: string, max: number): boolean {
  if (query.length <= max) return false;
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      count += 1;
      if (count > max) return true;
    }
  } catch (error) {
    if (error instanceof GraphQLError) return false;
    throw error;
  }
  return false;
}

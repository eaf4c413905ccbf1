import { describe, expect, it } from 'vitest';
import { createRng } from '../../core';
import { requestSearch } from './request-search';

const viaUrl = (target: string): string => new URL(target, 'http://localhost').search;

describe('requestSearch', () => {
  it('gives what the URL parser gives for plain and unusual query strings', () => {
    const targets = [
      '/graphql',
      '/graphql?',
      '/graphql??',
      '/graphql?a=1&b=%7B%22x%22%3A1%7D',
      '/graphql?query={ a }&variables={"a":1}',
      "/graphql?q='x'",
      '/graphql?q=<x>',
      '/graphql?q=a b',
      '/graphql?q=a#frag',
      '/graphql?#',
      '/graphql?q=\u00e9',
      '/graphql?q=\tx\n',
      '/graphql?q=\u007f',
      '/graphql?q=a?b=c',
      '/graphql#x?y',
      '/gr aph\tql?a=1',
    ];
    for (const target of targets)
      expect({ target, search: requestSearch(target) }).toEqual({ target, search: viaUrl(target) });
  });

  it('agrees with the URL parser on random query strings over printable ASCII, controls and non-ASCII', () => {
    const rng = createRng(7);
    const chars = [...Array.from({ length: 0x80 }, (_, i) => String.fromCharCode(i)), '\u00e9', '\u20ac', '\u{1f600}'];
    for (let i = 0; i < 5_000; i++) {
      const length = rng.int(12);
      const query = Array.from({ length }, () => chars[rng.int(chars.length)]).join('');
      const path = Array.from({ length: rng.int(3) }, () => chars[rng.int(chars.length)]).join('');
      const target = `/graphql${path}?${query}`;
      expect({ target, search: requestSearch(target) }).toEqual({ target, search: viaUrl(target) });
    }
  });
});

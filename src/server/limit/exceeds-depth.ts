/**
 * True when a JSON value nests objects or arrays deeper than `max` (a top-level object is depth 1). Iterative, so a
 * value nested 100,000 deep is answered without a deep stack (JSON.stringify and recursive walkers overflow near
 * 5,000 levels).
 */
export function exceedsDepth(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * The iterator a subscription resolver returns for `events`, a generator that waits on `live` (a hub's stream). A
 * client that leaves while the generator waits for the next event: a generator's own return() would queue behind that
 * wait (possibly for hours), so this ends the live stream first, which ends the wait, then the generator.
 */
export function liveIterator<T>(events: AsyncGenerator<T>, live: AsyncIterator<unknown>): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => iterator,
    next: () => events.next(),
    return: async (value?: unknown) => {
      await live.return?.();
      return events.return(value as T);
    },
    throw: (error?: unknown) => events.throw(error),
  };
  return iterator;
}

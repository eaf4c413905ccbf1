import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Store } from '../../store';
import type { ListenChannelOptions } from '../../store/listen-channel';
import { StoreGenerationWatch } from './store-generation-watch';

/** A store whose LISTEN and generation read the test drives. */
function fakeStore(read: () => Promise<string>) {
  const listens: ListenChannelOptions[] = [];
  const store = {
    listen: async (options: ListenChannelOptions) => {
      listens.push(options);
      return { close: async () => undefined };
    },
    dataSource: { manager: { query: async () => [{ generation: await read() }] } },
  } as unknown as Store;
  return { store, listens };
}

describe('StoreGenerationWatch', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads the generation once, then follows NOTIFYs upward only', async () => {
    const { store, listens } = fakeStore(async () => '5');
    const watch = new StoreGenerationWatch(store, pino({ level: 'silent' }));
    expect(watch.current()).toBeNull();
    await watch.start();
    expect(watch.current()).toBe(5n);
    listens[0].onNotify('7');
    listens[0].onNotify('6');
    expect(watch.current()).toBe(7n);
    await watch.close();
    expect(watch.current()).toBeNull();
  });

  it('keeps a bump that commits while the first read runs (LISTEN comes first)', async () => {
    let deliver: () => void = () => undefined;
    const { store, listens } = fakeStore(
      () =>
        new Promise((resolve) => {
          deliver = () => {
            listens[0].onNotify('6');
            resolve('5');
          };
        }),
    );
    const watch = new StoreGenerationWatch(store, pino({ level: 'silent' }));
    const started = watch.start();
    await vi.waitFor(() => expect(listens).toHaveLength(1));
    deliver();
    await started;
    expect(watch.current()).toBe(6n);
  });

  it('forgets the generation while the LISTEN is lost, then listens and reads again', async () => {
    vi.useFakeTimers();
    let value = '5';
    const { store, listens } = fakeStore(async () => value);
    const watch = new StoreGenerationWatch(store, pino({ level: 'silent' }));
    await watch.start();
    listens[0].onError(new Error('connection lost'));
    expect(watch.current()).toBeNull();
    value = '9'; // written while nobody listened
    listens[0].onNotify('10'); // a late payload of the lost connection changes nothing
    expect(watch.current()).toBeNull();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(listens).toHaveLength(2);
    expect(watch.current()).toBe(9n);
    await watch.close();
  });
});

import type { Client } from 'graphql-ws';

/** What a graphql-ws subscription sent: each answer's field, its errors, and a promise of its end. */
export interface CollectedSubscription<T> {
  events: T[];
  errors: unknown[];
  /** Resolves when the stream completes or errs. */
  done: Promise<void>;
}

/** Subscribes and collects `data[field]` of every answer (GraphQL errors and a transport error into `errors`). */
export function collectSubscription<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  field: string,
): CollectedSubscription<T> {
  const events: T[] = [];
  const errors: unknown[] = [];
  const done = new Promise<void>((resolve) => {
    client.subscribe<Record<string, T>>(
      { query, variables },
      {
        next: (value) => {
          if (value.errors) errors.push(...value.errors);
          if (value.data) events.push(value.data[field]);
        },
        error: (error) => {
          errors.push(error);
          resolve();
        },
        complete: () => resolve(),
      },
    );
  });
  return { events, errors, done };
}

/** Polls `probe` every 20 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function until(what: string, probe: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

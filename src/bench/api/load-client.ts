import { createJsonPoster, type JsonPoster } from './post-json';
import { createSocketPoster } from './socket-poster';

/** The HTTP clients the closed-loop load can send with, and what each is (the bench JSON's `setup.loadGenerator`). */
export const LOAD_CLIENTS = {
  node: 'node:http keep-alive clients in a child process',
  socket:
    'keep-alive HTTP/1.1 clients on plain sockets (requests built once per body, answers read by Content-Length) in a child process',
} as const;

/** A name of {@link LOAD_CLIENTS}. */
export type LoadClient = keyof typeof LOAD_CLIENTS;

/** Whether `name` is a {@link LoadClient}. */
export function isLoadClient(name: string): name is LoadClient {
  return Object.hasOwn(LOAD_CLIENTS, name);
}

/** A poster of the named client for `url` with `sockets` connections. */
export function createLoadPoster(client: LoadClient, url: string, sockets: number): JsonPoster {
  return client === 'socket' ? createSocketPoster(url, sockets) : createJsonPoster(url, sockets);
}

import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * How late a keep-alive timer may fire and still count as an idle client. A timer on a responsive event loop fires
 * within milliseconds of its due time; one a second late means the loop was stalled.
 */
const STALL_MS = 1_000;

/**
 * Closes idle keep-alive connections after `keepAliveTimeout` as Node does, except when the timer fires late because
 * this process's event loop was stalled (an in-process fit: tfjs, the whole-space prediction and its PGlite INSERT
 * run synchronously for seconds). Then the idle time is counted again from now.
 *
 * Why: after a stall, Node's overdue timer and the client's next request race. A client keeps its own idle timer,
 * shorter than the server's `Keep-Alive: timeout` hint (undici: hint - 1 s), so normally it stops reusing a connection
 * before the server closes it; but the client's timer is stalled too (undici starts it on its first 1 s tick, which
 * comes after the stall), so it still reuses the connection. Node then destroys a socket whose request is already in
 * the kernel but not yet read, and the client sees ECONNRESET instead of an answer. Counting the idle time again after
 * a stall restores the normal order: the client gives the connection up first.
 *
 * Call {@link KeepAliveGuard.track} for every request.
 */
export class KeepAliveGuard {
  /** When each connection's last response finished (performance.now()), which is when Node armed its idle timer. */
  private readonly idleSince = new WeakMap<Socket, number>();

  constructor(private readonly httpServer: Server) {
    // A 'timeout' listener replaces Node's default for the socket timeout (destroy), so this decides every close.
    httpServer.on('timeout', (socket: Socket) => this.onTimeout(socket));
  }

  /** Notes when the response finishes, i.e. when its connection starts idling. */
  track(res: ServerResponse): void {
    const socket = res.socket;
    if (socket) res.once('finish', () => this.idleSince.set(socket, performance.now()));
  }

  private onTimeout(socket: Socket): void {
    const since = this.idleSince.get(socket);
    const keepAliveMs = this.httpServer.keepAliveTimeout;
    const now = performance.now();
    if (since !== undefined && keepAliveMs > 0 && now - since - keepAliveMs > STALL_MS) {
      // A request that arrives meanwhile clears this timer (Node does so for every request on a kept-alive socket).
      this.idleSince.set(socket, now);
      socket.setTimeout(keepAliveMs);
      return;
    }
    socket.destroy();
  }
}

import { Server as NetServer } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ErrorCode } from '../../core';
import { sendJson } from './send-json';

/**
 * Counts the requests of one HTTP server in flight and runs its graceful stop (issue 16, defect 5): stop accepting
 * connections, answer every request that arrives after the stop began with 503 SHUTTING_DOWN, wait (bounded) for the
 * requests already in flight, then close every connection. Call {@link RequestDrain.begin}, then `settle`.
 */
export class RequestDrain {
  private inFlight = 0;
  private stopping = false;
  private idle: (() => void) | null = null;

  constructor(private readonly httpServer: Server) {}

  /** True once {@link RequestDrain.begin} was called. */
  get isStopping(): boolean {
    return this.stopping;
  }

  /**
   * Call first for every request: counts it until its response closes (sent or aborted), or answers 503 when the
   * server is stopping and returns false.
   */
  admit(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.stopping) {
      // `Connection: close` so a keep-alive client does not send its next request down a connection about to close.
      res.setHeader('connection', 'close');
      sendJson(res, 503, {
        errors: [
          {
            message: 'the server is shutting down; retry on another instance or once it has restarted',
            extensions: { code: ErrorCode.SHUTTING_DOWN },
          },
        ],
      });
      return false;
    }
    this.inFlight++;
    res.once('close', () => {
      this.inFlight--;
      if (this.inFlight === 0) this.idle?.();
    });
    return true;
  }

  /**
   * Stops accepting connections; requests arriving from now on get 503. Resolves once every connection has closed
   * (after {@link RequestDrain.settle}, and after the owner closed any upgraded WebSocket).
   */
  begin(): Promise<void> {
    this.stopping = true;
    // net.Server's close only stops listening. http.Server's also ends idle keep-alive connections at once, and a
    // client that sends on one at that moment sees a reset; kept open, it gets the 503 above instead.
    return new Promise<void>((resolve) => NetServer.prototype.close.call(this.httpServer, () => resolve()));
  }

  /**
   * Waits up to `graceMs` for the requests in flight, then closes every HTTP connection. Resolves with the number of
   * requests cut off at the bound (0 when all finished in time).
   */
  async settle(graceMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const inTime =
      this.inFlight === 0 ||
      (await new Promise<boolean>((resolve) => {
        this.idle = () => resolve(true);
        timer = setTimeout(() => resolve(false), graceMs);
      }));
    clearTimeout(timer);
    const cutOff = inTime ? 0 : this.inFlight;
    this.httpServer.closeAllConnections();
    return cutOff;
  }
}

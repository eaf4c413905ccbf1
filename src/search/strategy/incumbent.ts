import type { Observation } from './strategy';

/**
 * The best completed observation so far, as NAS-Bench-201's scripts pick their answer (`max(history, key=accuracy)`):
 * the first of equal values wins, and runs stopped early never count (their value is a partial curve's).
 * Observations at a higher fidelity outrank any at a lower one (Hyperband's incumbent is the best at the largest budget).
 */
export class Incumbent<A> {
  private best: Observation<A> | null = null;

  /** Considers one observation. */
  offer(observation: Observation<A>): void {
    if (observation.stoppedEarly || !Number.isFinite(observation.value)) return;
    const best = this.best;
    if (
      best === null ||
      observation.fidelity > best.fidelity ||
      (observation.fidelity === best.fidelity && observation.value > best.value)
    ) {
      this.best = observation;
    }
  }

  /** The best observation, or null before any. */
  get observation(): Observation<A> | null {
    return this.best;
  }

  /** The best observation's architecture, or null before any. */
  get arch(): A | null {
    return this.best?.arch ?? null;
  }
}

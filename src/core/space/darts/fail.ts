import { InvalidArchitectureError } from '../../error/invalid-architecture-error';
import type { DartsInvalidReasonValue } from './invalid-reason';

/** Where a darts fault is: a field path (`normal[5][1]`) and/or a character offset in the text. */
export interface DartsFaultLocation {
  /** Field path at fault. */
  field?: string;
  /** 0-based character offset in the text. */
  position?: number;
  /** Underlying error (e.g. the JSON parser's), kept for logs. */
  cause?: unknown;
}

/** Throws the InvalidArchitectureError of the darts space with its reason and location. */
export function failDarts(message: string, reason: DartsInvalidReasonValue, location: DartsFaultLocation = {}): never {
  const error = new InvalidArchitectureError(message, {
    space: 'darts',
    reason,
    ...(location.field === undefined ? {} : { field: location.field }),
    ...(location.position === undefined ? {} : { position: location.position }),
  });
  // InvalidArchitectureError's constructor takes no cause; set it as Error's constructor would (own, non-enumerable).
  if (location.cause !== undefined)
    Object.defineProperty(error, 'cause', { value: location.cause, writable: true, configurable: true });
  throw error;
}

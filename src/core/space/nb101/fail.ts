import { InvalidArchitectureError } from '../../error/invalid-architecture-error';
import type { Nb101InvalidReasonValue } from './invalid-reason';

/** Where an nb101 fault is: a field path (`matrix[2][1]`, `ops[3]`) and/or a character offset in the text. */
export interface Nb101FaultLocation {
  /** Field path at fault. */
  field?: string;
  /** 0-based character offset in the text. */
  position?: number;
  /** Underlying error (e.g. the JSON parser's), kept for logs. */
  cause?: unknown;
}

/** Throws the InvalidArchitectureError of the nb101 space with its reason and location. */
export function failNb101(message: string, reason: Nb101InvalidReasonValue, location: Nb101FaultLocation = {}): never {
  const error = new InvalidArchitectureError(message, {
    space: 'nb101',
    reason,
    ...(location.field === undefined ? {} : { field: location.field }),
    ...(location.position === undefined ? {} : { position: location.position }),
  });
  // InvalidArchitectureError's constructor takes no cause; set it as Error's constructor would (own, non-enumerable).
  if (location.cause !== undefined)
    Object.defineProperty(error, 'cause', { value: location.cause, writable: true, configurable: true });
  throw error;
}

import { ErrorCode, NashubError } from './nashub-error';

/** Where in the input an architecture went wrong. */
export interface InvalidArchitectureDetails {
  /** Space the text was parsed for. */
  space: string;
  /** 0-based character offset in the text, when the fault has one. */
  position?: number;
  /** Field or path at fault (`ops[3]`, `matrix[2][1]`, `normal[5].input`), when the fault has one. */
  field?: string;
  /** Short machine-friendly reason: `unknown-op`, `too-many-edges`, `not-upper-triangular`, ... */
  reason: string;
}

/** A malformed, invalid or unknown architecture. */
export class InvalidArchitectureError extends NashubError {
  declare readonly details: InvalidArchitectureDetails & Record<string, unknown>;

  constructor(message: string, details: InvalidArchitectureDetails) {
    super(ErrorCode.INVALID_ARCHITECTURE, message, { details: { ...details } });
    this.name = 'InvalidArchitectureError';
  }
}

/** Why one row of an import is bad; collected and reported by line, never thrown past the importer. */
export class RowError extends Error {
  constructor(
    message: string,
    /** Column or mapping field at fault, when there is one. */
    readonly column?: string,
  ) {
    super(message);
    this.name = 'RowError';
  }
}

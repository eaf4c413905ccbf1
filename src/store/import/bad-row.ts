/** One rejected row: where and why. */
export interface BadRow {
  line: number;
  reason: string;
}

/** How many bad rows an import reports in full. */
export const BAD_ROW_REPORT_LIMIT = 20;

/** The `code` of what `run` throws, or 'none' when it throws nothing: for asserting typed errors in one line. */
export function errorCodeOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
  return 'none';
}

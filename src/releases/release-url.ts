import { ErrorCode, NashubError } from '../core';
import { MANIFEST_FILE } from '../store/release';

/** True when an `import --release` argument is a URL rather than a folder. */
export function isReleaseUrl(text: string): boolean {
  return /^https?:\/\//i.test(text);
}

/**
 * The folder URL of a release (ending in `/`) from what a user typed: `http(s)://host/releases/nb201/1.0.0/`, the same
 * without the final slash, or its `manifest.json`. Anything else is INVALID_ARGUMENT.
 */
export function releaseBaseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--release ${text} is not a URL`, {
      details: { option: '--release' },
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `--release URL must be http:// or https://, got ${url.protocol}`,
      {
        details: { option: '--release' },
      },
    );
  if (url.username || url.password)
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, '--release URL must not hold a user or password', {
      details: { option: '--release' },
    });
  url.search = '';
  url.hash = '';
  if (url.pathname.endsWith(`/${MANIFEST_FILE}`)) url.pathname = url.pathname.slice(0, -MANIFEST_FILE.length);
  else if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

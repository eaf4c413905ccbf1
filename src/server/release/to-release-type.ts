import type { StoredRelease } from '../../store/release';
import { releaseInPlace } from './release-in-place';
import type { ReleaseType } from './release.type';

/** The GraphQL view of a recorded release; URLs only when this server serves its folder. */
export async function toReleaseType(release: StoredRelease, releasesDir: string | undefined): Promise<ReleaseType> {
  const path = `/releases/${encodeURIComponent(release.name)}/${encodeURIComponent(release.version)}/`;
  const served = await releaseInPlace(releasesDir, release.name, release.version);
  const files = release.manifest.files;
  return {
    name: release.name,
    version: release.version,
    contentSha256: release.manifest.contentSha256,
    manifest: release.manifest,
    files: Object.keys(files)
      .sort()
      .map((name) => ({ name, ...files[name], url: served ? `${path}${name}` : null })),
    url: served ? path : null,
    createdAt: release.createdAt,
  };
}

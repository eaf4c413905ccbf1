import { InitialSchema1764288000000 } from './1764288000000-initial-schema';

/** Every migration, oldest first; the last one's name is the schema version. */
export const migrations = [InitialSchema1764288000000];

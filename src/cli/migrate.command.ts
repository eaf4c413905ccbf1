import { Command } from 'commander';
import { openStore } from '../store';
import { loadConfig } from './load-config';

/** `nashub migrate`: apply pending migrations in one transaction and print the schema version. */
export function migrateCommand(): Command {
  return new Command('migrate').description('apply pending database migrations (all or nothing)').action(async () => {
    const config = loadConfig(process.env);
    const store = await openStore({ config: config.store });
    try {
      process.stdout.write(`${JSON.stringify({ database: store.kind, schemaVersion: store.schemaVersion })}\n`);
    } finally {
      await store.close();
    }
  });
}

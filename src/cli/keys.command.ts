import { Command } from 'commander';
import { openStore, type Store } from '../store';
import { createApiKey, listApiKeys, parseApiKeyRole, revokeApiKey, type ApiKeyInfo } from '../store/api-key';
import { readDataDirLock } from '../store/pglite/data-dir-lock';
import { loadConfig } from './load-config';
import { requestLocalServer } from './request-local-server';

/** What `nashub keys` prints about a key: never the secret (except once, at creation) and never its hash. */
interface KeyLine {
  name: string;
  role: string;
  created: string;
  revoked: string | null;
}

function keyLine(info: ApiKeyInfo): KeyLine {
  return {
    name: info.name,
    role: info.role,
    created: info.createdAt.toISOString(),
    revoked: info.revokedAt?.toISOString() ?? null,
  };
}

function printLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const store = await openStore({ config: config.store });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/**
 * Creates the key through the `nashub serve` that holds this machine's PGlite folder (a second process must not open
 * it), or returns null when no server holds it.
 */
async function createThroughServer(name: string, role: string): Promise<{ key: string; info: ApiKeyInfo } | null> {
  const { store } = loadConfig(process.env);
  const server = store.kind === 'pglite' ? readDataDirLock(store.dataDir)?.server : undefined;
  if (!server) return null;
  const data = await requestLocalServer<{
    createApiKey: { name: string; role: ApiKeyInfo['role']; createdAt: string; key: string };
  }>(
    server,
    'mutation($name: String!, $role: String!) { createApiKey(name: $name, role: $role) { name role createdAt key } }',
    { name, role },
  );
  if (!data) return null;
  process.stderr.write(
    `nashub: created through the server at ${server.url}, which holds ${store.kind === 'pglite' ? store.dataDir : ''}\n`,
  );
  const created = data.createApiKey;
  return {
    key: created.key,
    info: { name: created.name, role: created.role, createdAt: new Date(created.createdAt), revokedAt: null },
  };
}

/** `nashub keys create|list|revoke`: API keys for the mutations (`Authorization: Bearer KEY`). */
export function keysCommand(): Command {
  const create = new Command('create')
    .description('create a key and print it once; only its sha256 is stored')
    .requiredOption('--name <name>', 'unique name of the key, e.g. who holds it')
    .requiredOption('--role <role>', 'publisher | trainer | admin')
    .action(async (flags: { name: string; role: string }) => {
      const role = parseApiKeyRole(flags.role);
      const viaServer = await createThroughServer(flags.name, role);
      const { key, info } =
        viaServer ?? (await withStore((store) => createApiKey(store.dataSource.manager, { name: flags.name, role })));
      printLine({ ...keyLine(info), key });
      process.stderr.write(
        'nashub: keep this key now; it cannot be shown again (revoke it and create another if lost)\n',
      );
    });

  const list = new Command('list')
    .description('print every key as a JSON line: name, role, created, revoked (never the key or its hash)')
    .action(async () => {
      const keys = await withStore((store) => listApiKeys(store.dataSource.manager));
      for (const info of keys) printLine(keyLine(info));
    });

  const revoke = new Command('revoke')
    .description('revoke a key by name; requests carrying it fail with UNAUTHENTICATED from then on')
    .requiredOption('--name <name>', 'name of the key')
    .action(async (flags: { name: string }) => {
      const { info, revokedNow } = await withStore((store) => revokeApiKey(store.dataSource.manager, flags.name));
      printLine(keyLine(info));
      if (!revokedNow) process.stderr.write(`nashub: key "${info.name}" was already revoked; nothing changed\n`);
    });

  return new Command('keys')
    .description('manage API keys (roles publisher, trainer, admin)')
    .addCommand(create)
    .addCommand(list)
    .addCommand(revoke);
}

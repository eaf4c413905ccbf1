import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** Docker does not run on the CI machines, so the compose file is checked for shape, not started. */
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(__dirname, '..', 'docker-compose.yml'), 'utf8'));
  const dockerfile = readFileSync(join(__dirname, '..', 'Dockerfile'), 'utf8');

  it('runs postgres 16 with a volume and a healthcheck', () => {
    const postgres = compose.services.postgres;
    expect(postgres.image).toBe('postgres:16');
    expect(postgres.volumes[0]).toMatch(/^pgdata:\/var\/lib\/postgresql\/data$/);
    expect(Object.keys(compose.volumes)).toContain('pgdata');
    expect(postgres.healthcheck.test.join(' ')).toContain('pg_isready');
  });

  it('builds the server from the Dockerfile, points it at postgres and publishes 4000', () => {
    const server = compose.services.server;
    expect(server.build).toBe('.');
    expect(server.ports).toContain('4000:4000');
    const url = new URL(server.environment.DATABASE_URL);
    expect(url.hostname).toBe('postgres');
    expect(url.pathname).toBe(`/${compose.services.postgres.environment.POSTGRES_DB}`);
    expect(url.username).toBe(compose.services.postgres.environment.POSTGRES_USER);
    expect(server.depends_on.postgres.condition).toBe('service_healthy');
    expect(dockerfile).toMatch(/EXPOSE 4000/);
  });

  it('runs the trainer from the same image with an NVIDIA GPU reservation', () => {
    const trainer = compose.services.trainer;
    expect(trainer.image).toBe(compose.services.server.image);
    expect(trainer.command).toEqual(['trainer']);
    const device = trainer.deploy.resources.reservations.devices[0];
    expect(device.driver).toBe('nvidia');
    expect(device.capabilities).toContain('gpu');
    expect(trainer.environment.DATABASE_URL).toBe(compose.services.server.environment.DATABASE_URL);
  });

  it('runs a predictor-fit worker from the same image on the same database, with commands the CLI has', async () => {
    const worker = compose.services.worker;
    expect(worker.image).toBe(compose.services.server.image);
    expect(worker.command).toEqual(['worker']);
    expect(worker.environment.DATABASE_URL).toBe(compose.services.server.environment.DATABASE_URL);
    const { buildProgram } = await import('../src/cli/main');
    const commands = buildProgram().commands.map((c) => c.name());
    for (const service of Object.values(compose.services) as Array<{ command?: string[] }>) {
      if (service.command) expect(commands).toContain(service.command[0]);
    }
  });
});

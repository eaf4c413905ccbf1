import { it } from 'vitest';
import { startSearchServer, TRIAL_FIELDS } from './support/search-service-fixtures';

it('perf', async () => {
  const server = await startSearchServer();
  const c: any = await server.gql(`mutation($input: CreateSearchRunInput!) { createSearchRun(input: $input) { id } }`, {
    input: { preset: 'nb201-cifar10-valid', strategy: process.env.STRAT ?? 'RANDOM', budgetEvaluations: 1500, seed: 1 },
  });
  const run = c.data.createSearchRun.id;
  const askLat: number[] = [];
  let ops = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      for (;;) {
        const a0 = performance.now();
        const a: any = await server.gql(`mutation($run: ID!, $w: String!) { ask(run: $run, worker: $w, n: 1) { finished retryAfterSeconds trials { id simulated { value } } } }`, { run, w: `w${w}` });
        askLat.push(performance.now() - a0);
        ops++;
        if (a.errors) throw new Error(JSON.stringify(a.errors));
        if (a.data.ask.finished) return;
        if (a.data.ask.trials.length === 0) { await new Promise((r) => setTimeout(r, 5)); continue; }
        for (const t of a.data.ask.trials) {
          const r: any = await server.gql(`mutation($t: ID!, $w: String!, $v: Float!) { tell(trial: $t, worker: $w, value: $v) { id } }`, { t: t.id, w: `w${w}`, v: t.simulated.value });
          if (r.errors) throw new Error(JSON.stringify(r.errors));
          ops++;
        }
      }
    }),
  );
  const s = (performance.now() - t0) / 1000;
  askLat.sort((a, b) => a - b);
  console.log(JSON.stringify({ opsPerS: ops / s, ops, seconds: s, askP50: askLat[Math.floor(askLat.length * 0.5)], askP99: askLat[Math.floor(askLat.length * 0.99)] }));
  await server.close();
}, 600_000);

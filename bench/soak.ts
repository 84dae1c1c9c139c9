/**
 * `npm run bench:soak`: does the gateway hold memory it should let go? The built gateway takes the
 * bench's mix of requests (every front door, fallbacks over a dead, a failing and a hanging primary,
 * an Ollama upstream, the heaviest routing decision, streams) in phases. V8's trace of its
 * collections (`--trace-gc`) gives the heap left after each full collection, the heap really held,
 * and after each phase /proc gives the RSS and `/metrics` V8's committed heap and its external
 * memory. A leak shows as a floor that rises phase after phase; one that levels off is the gateway's
 * working set. Not a test: nothing asserts. Runs on 127.0.0.1, stops by itself.
 *
 *   SOAK_PHASES (default 5), SOAK_MS (each path's share of a phase, default 4000)
 */
import { latencies, throughput, type Api, type Target } from './load';
import { closedPort, eachLine, memoryMiB, startGateway, startScript, stopAll } from './processes';

const PHASES = Number(process.env.SOAK_PHASES ?? 5);
const PATH_MS = Number(process.env.SOAK_MS ?? 4_000);

/** The paths of a phase: route, front door, and a shorter share for the hanging primary (each request waits out its timeout). */
const MIX: [model: string, api: Api | undefined, share: number][] = [
  ['live', undefined, 1],
  ['live-anthropic', 'messages', 1],
  ['live', 'messages', 1],
  ['live-responses', 'responses', 1],
  ['live-responses', 'responses-stored', 1],
  ['dead-first', undefined, 1],
  ['failing-first', undefined, 1],
  ['live-ollama', undefined, 1],
  ['live-20', undefined, 1],
  ['hanging-first', undefined, 0.4],
];

async function main(): Promise<void> {
  const upstream = await startScript('upstream.ts');
  const failing = await startScript('upstream.ts', ['fail']);
  const hanging = await startScript('upstream.ts', ['hang']);
  const urls = { upstream: `http://127.0.0.1:${upstream.port}`, deadPort: await closedPort(), failing: `http://127.0.0.1:${failing.port}`, hanging: `http://127.0.0.1:${hanging.port}` };
  const gateway = await startGateway(urls, undefined, { nodeFlags: ['--trace-gc'] });
  const origin = `http://127.0.0.1:${gateway.port}`;
  const target = (model: string, api: Api | undefined): Target => ({ name: `${model} ${api ?? 'chat'}`, origin, model, pid: gateway.pid, api });

  // Each full collection's heap after it, from V8's trace: the floor a phase's collections reach
  // is the heap really held (a heap snapshot would force one, but leaves its own memory in the RSS).
  const fullCollections: number[] = [];
  eachLine(gateway, (line) => {
    const after = / Mark-Compact[^:]*?[\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/.exec(line)?.[1];
    if (after) fullCollections.push(Number(after));
  });

  console.log('| phase | requests so far | heap after full collections, lowest (count) (MiB) | RSS (MiB) | V8 heap committed (MiB) | external (MiB) |\n|---|---|---|---|---|---|');
  let requests = 0;
  for (let phase = 0; phase <= PHASES; phase++) {
    fullCollections.length = 0;
    if (phase > 0) {
      for (const [model, api, share] of MIX) {
        const { rps } = await throughput(target(model, api), PATH_MS * share);
        requests += (rps * PATH_MS * share) / 1000;
      }
      requests += (await latencies(target('live', undefined), 300, true)).length;
    }
    await new Promise((r) => setTimeout(r, 2_000));
    const metrics = await (await fetch(`${origin}/metrics`)).text();
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]) / 2 ** 20;
    const held = fullCollections.length > 0 ? `${Math.min(...fullCollections).toFixed(1)} (${fullCollections.length})` : '-';
    const rss = memoryMiB(gateway.pid)?.rss ?? Number.NaN;
    console.log(`| ${phase} | ${Math.round(requests)} | ${held} | ${rss.toFixed(0)} | ${gauge('nodejs_heap_size_total_bytes').toFixed(0)} | ${gauge('nodejs_external_memory_bytes').toFixed(1)} |`);
  }
  gateway.child.kill('SIGTERM');
  await new Promise((r) => gateway.child.once('exit', r));
  stopAll();
}

main().catch((error) => {
  console.error(error);
  stopAll();
  process.exitCode = 1;
});

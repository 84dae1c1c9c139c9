/**
 * The routing decision alone, in process: `plan()` for a plain two-deployment route and for a route
 * of 20 deployments with four rules and three budgets to check, each timed over many calls (after a
 * warm-up), so the cost of the decision is seen apart from HTTP and JSON. Run bundled (routing.ts),
 * as the gateway runs: tsx's transform wraps every closure in a naming helper that costs more than
 * the decision itself. Also the time windows at the config's limit (64 on one deployment): the state a
 * request's plan reads when the cached one expires, and the editor's week preview.
 */
import { createBudgets } from '../gateway/budgets/budgets';
import { validateConfig } from '../gateway/config/validate';
import { envSecrets } from '../gateway/config/secrets';
import { traitsOf } from '../gateway/http/traits';
import { createProviderSet } from '../gateway/providers/registry';
import { createCatalog } from '../gateway/routing/catalog';
import { createRoutingState } from '../gateway/routing/live-state';
import { plan } from '../gateway/routing/plan';
import { weekSchedule } from '../gateway/routing/schedule';
import { windowState } from '../gateway/routing/time-windows';
import { benchConfig } from './processes';

function measureRouting(iterations = 200_000): { plainUs: number; heavyUs: number } {
  const result = validateConfig(benchConfig({ upstream: 'http://127.0.0.1:9', deadPort: 9, failing: 'http://127.0.0.1:9', hanging: 'http://127.0.0.1:9' }));
  if (!result.ok) throw new Error('bench config is invalid');
  const config = result.config;
  const providers = createProviderSet(config.providers, { secrets: envSecrets({ BENCH_KEY: 'sk-bench' }) }).adapters;
  const catalog = createCatalog(config, providers, 'UTC');
  const budgets = createBudgets({ config: () => config, defaultTimeZone: () => 'UTC', spentSince: () => 0, now: Date.now });
  const state = createRoutingState({ catalog: () => catalog, installed: () => undefined, modelFacts: () => undefined, latencyMs: () => undefined, budgets: (r) => budgets.verdict(r) });
  const body = { model: 'x', messages: [{ role: 'user', content: 'Say hello in five words.' }], temperature: 0.7 };
  const time = (model: string) => {
    const run = (n: number) => {
      const started = process.hrtime.bigint();
      for (let i = 0; i < n; i++) plan(catalog, state, { model, type: 'chat', now: Date.now(), traits: traitsOf(body, '90'), clientKey: 'bench' });
      return Number(process.hrtime.bigint() - started) / 1000 / n;
    };
    run(iterations / 10);
    return run(iterations);
  };
  const plainUs = time('live');
  const heavyUs = time('live-20');
  for (const adapter of providers.values()) void adapter.close();
  return { plainUs, heavyUs };
}

function measureWindows(rounds = 20): { windowStateMs: number; weekScheduleMs: number } {
  const windows = Array.from({ length: 64 }, (_, i) => ({
    start: `${String((i * 5) % 24).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}`,
    end: `${String((i * 5 + 3) % 24).padStart(2, '0')}:${String((i * 11) % 60).padStart(2, '0')}`,
    ...(i % 4 === 0 ? { action: 'allow' as const } : {}),
  }));
  const mean = (work: (i: number) => unknown) => {
    work(0);
    const started = process.hrtime.bigint();
    for (let i = 1; i <= rounds; i++) work(i);
    return Number(process.hrtime.bigint() - started) / 1e6 / rounds;
  };
  const now = Date.now();
  return {
    windowStateMs: mean((i) => windowState(windows, 'Europe/Paris', now + i * 3_600_000)),
    weekScheduleMs: mean((i) => weekSchedule(windows, 'Europe/Paris', now + i * 3_600_000)),
  };
}

process.stdout.write(`${JSON.stringify({ ...measureRouting(), ...measureWindows() })}\n`);

/**
 * `switchyard doctor`: what stands between this data dir's config and answered requests, checked
 * now, gateway running or not: the config, whether a gateway serves the data dir (and the webhook
 * its notices would go to), each provider
 * (its key, whether it answers and how fast), each Ollama deployment's model, each route (can any of
 * its deployments answer now?) and where the tools point. A line each, [✓] or [✗] with what to do
 * ([!] for what may be meant); exit 1 when anything needs doing.
 */
import { homedir } from 'node:os';
import { counted, type Output } from './cli-output';
import type { Config, DeploymentConfig } from './config/schema';
import { envSecrets } from './config/secrets';
import { validateConfig } from './config/validate';
import { withoutProviderName } from './health/provider-words';
import { listsModel } from './models/listed';
import { createWebhookChannel } from './notices/webhook-channel';
import { printable } from './printable';
import { closeAdapters, createProviderSet, upstreamContext } from './providers/registry';
import type { ProbeResult } from './providers/types';
import { createConfigStore } from './store/config-store';
import { openDatabase } from './store/db';
import { createGatewayAddress, gatewayOf } from './store/gateway-address';

/** As long as the gateway's own probes wait for a provider. */
const PROBE_MS = 5_000;

/** `unknown`: its key is in the desktop app's keychain, which only the app reads. */
type Probe = { ok: true; ms: number; result: ProbeResult } | { ok: false; why: string } | { ok: 'unknown'; why: string };

export async function doctorCommand(dataDir: string, io: Output, env: Record<string, string | undefined>): Promise<number> {
  let needed = 0;
  const line = (mark: '✓' | '✗' | '!', text: string) => {
    if (mark === '✗') needed++;
    io.out(`[${mark}] ${printable(text)}\n`);
  };
  const db = openDatabase(dataDir, { onWarning: (message) => line('!', message) });
  let config: Config | undefined;
  let running;
  let url: string;
  try {
    config = createConfigStore(db).current();
    running = createGatewayAddress(db).running();
    url = gatewayOf(db, undefined, env).url;
  } finally {
    db.close();
  }
  if (!config) {
    line('✗', `No config is stored in ${dataDir}: "switchyard serve" makes one, or "switchyard import FILE"`);
    return 1;
  }
  line('✓', `Config: ${counted(config.providers.length, 'provider')}, ${counted(config.deployments.length, 'deployment')}, ${counted(config.routes.length, 'route')}`);
  for (const warning of validateConfig(config).warnings) line('!', `${warning.path}: ${warning.message}`);
  if (running) line('✓', `A gateway serves this data dir at ${running.url} (pid ${running.pid})`);
  else line('!', `No gateway serves this data dir: "switchyard serve" starts one (at ${url})`);
  noticesLine(config, env, line);

  const probes = await probeProviders(config, env);
  for (const provider of config.providers) {
    const probe = probes.get(provider.name)!;
    if (probe.ok === 'unknown') line('!', `${provider.name} (${provider.baseUrl}): ${probe.why}`);
    else if (probe.ok) line('✓', `${provider.name} (${provider.baseUrl}) answers in ${Math.round(probe.ms)} ms${probe.result.models ? `, ${counted(probe.result.models.length, 'model')} listed` : ''}`);
    else line('✗', `${provider.name} (${provider.baseUrl}): ${probe.why}`);
  }

  const answers = (d: DeploymentConfig) => usable(d, config, probes);
  const missing = config.deployments.filter((d) => answers(d) === 'not installed');
  for (const d of missing) line('✗', `${d.name}: ${d.model} is not installed on ${d.provider}: "switchyard pull ${d.name}" downloads it`);
  for (const route of config.routes) {
    const able = route.deployments.filter((name) => {
      const d = config.deployments.find((x) => x.name === name);
      return d !== undefined && answers(d) === 'yes';
    });
    if (able.length > 0) line('✓', `Route ${route.name}: ${able.join(', ')} can answer now`);
    else line('✗', `Route ${route.name}: none of ${route.deployments.join(', ')} can answer now (see above)`);
  }

  const { pointing, toolConnections } = await import('./connect/connections');
  for (const tool of toolConnections({ home: env.HOME || homedir(), env }, running?.url ?? url, config)) line(tool.unknownRoute ? '✗' : tool.state === 'here' ? '✓' : '!', pointing(tool));
  io.out(needed === 0 ? 'Nothing needs doing.\n' : `${counted(needed, 'thing')} to do.\n`);
  return needed === 0 ? 0 : 1;
}

/** Every provider asked at once, as the gateway's probes ask: its key first, then its server. */
async function probeProviders(config: Config, env: Record<string, string | undefined>): Promise<Map<string, Probe>> {
  const { adapters } = createProviderSet(config.providers, upstreamContext(envSecrets(env), env));
  const probes = new Map<string, Probe>();
  try {
    await Promise.all(
      config.providers.map(async (provider) => {
        const adapter = adapters.get(provider.name);
        if (provider.apiKey?.startsWith('secret:')) {
          probes.set(provider.name, { ok: 'unknown', why: "its key is kept by the desktop app, in this system's keychain: only the app sends it (its Test connection checks it)" });
          return;
        }
        if (!adapter || adapter.unavailableReason) {
          probes.set(provider.name, { ok: false, why: adapter?.unavailableReason ?? 'it cannot be used' });
          return;
        }
        const started = performance.now();
        try {
          const result = await adapter.probe(AbortSignal.timeout(PROBE_MS));
          probes.set(provider.name, { ok: true, ms: performance.now() - started, result });
        } catch (error) {
          probes.set(provider.name, { ok: false, why: `does not answer: ${withoutProviderName(provider.name, (error as Error).message)}` });
        }
      }),
    );
  } finally {
    await closeAdapters([...adapters.values()]);
  }
  return probes;
}

/** Whether a deployment could answer now: its provider answers and, on an Ollama, has its model (as the health report says it). */
function usable(d: DeploymentConfig, config: Config, probes: Map<string, Probe>): 'yes' | 'provider' | 'not installed' | 'disabled' {
  if (d.enabled === false) return 'disabled';
  const probe = probes.get(d.provider);
  // Not checked here: taken as able, as the provider's own line says.
  if (probe?.ok === 'unknown') return 'yes';
  if (!probe?.ok) return 'provider';
  const kind = config.providers.find((p) => p.name === d.provider)?.kind;
  if (kind !== 'ollama') return 'yes';
  return listsModel(probe.result.models ?? [], d.model) ? 'yes' : 'not installed';
}

/** Where notices would be posted: the webhook the settings name (else SWITCHYARD_WEBHOOK_URL), or why they could not be. */
function noticesLine(config: Config, env: Record<string, string | undefined>, line: (mark: '✓' | '✗' | '!', text: string) => void): void {
  const reference = config.settings?.notices?.webhook;
  if (reference?.startsWith('secret:')) return line('!', "Notices: posted to the webhook pasted in the desktop app's Settings, kept in its key store, which only the app can read");
  const state = createWebhookChannel({ reference: () => reference, resolve: envSecrets(env).resolve, env, proxy: undefined, undelivered: () => undefined }).state();
  const named = state.from === 'settings' ? ' (named in the settings)' : '';
  if (state.host) line(state.warning ? '!' : '✓', `Notices: "switchyard serve" posts them to the webhook at ${state.host}${named}${state.warning ? `; but ${state.warning}` : ''}`);
  else if (state.problem) line('✗', state.from === 'environment' ? `${state.problem}: "switchyard serve" will not start with it` : `Notices: ${state.problem}`);
}

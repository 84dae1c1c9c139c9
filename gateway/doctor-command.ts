/**
 * `switchyard doctor`: what stands between this data dir's config and answered requests, checked
 * now, gateway running or not: the config, whether a gateway serves the data dir (and the webhook
 * its notices would go to), each provider (its key, whether it answers and how fast: where a gateway
 * serves the data dir, with the key it holds, not this shell's), each Ollama deployment's model (installed,
 * and not an embedding model added as chat), each
 * route (can any of its deployments answer now?), where the tools point, and usage rows waiting
 * outside the log (set aside at a replay, or in a journal no start could replay). A line each, [✓] or [✗] with what to do
 * ([!] for what may be meant); exit 1 when anything needs doing.
 */
import { homedir } from 'node:os';
import { ago, counted, type Output } from './cli-output';
import type { Config, DeploymentConfig } from './config/schema';
import { referencesOf } from './config/key-binding';
import { envSecrets } from './config/secrets';
import { validateConfig } from './config/validate';
import { withoutProviderName } from './health/provider-words';
import { listsModel, modelMeant } from './models/listed';
import { createWebhookChannel } from './notices/webhook-channel';
import { printable } from './printable';
import { closeAdapters, createProviderSet, upstreamContext } from './providers/registry';
import type { ProbeResult, ProviderAdapter } from './providers/types';
import { knownCapabilities, misfiledEmbedding, ollamaShowFacts } from './models/facts';
import { createConfigStore } from './store/config-store';
import { openDatabase } from './store/db';
import { askHealth, type RunningHealth } from './running-health';
import { createGatewayAddress, gatewayOf } from './store/gateway-address';
import { usageOutsideTheLog } from './store/usage-journal';

/** As long as the gateway's own probes wait for a provider. */
const PROBE_MS = 5_000;

/** `unknown`: its key is in the desktop app's keychain, which only the app reads. `seen`: the running gateway's probe, not this command's. */
type Probe = { ok: true; ms: number; result: ProbeResult; seen?: string; byAnswer?: boolean } | { ok: false; why: string } | { ok: 'unknown'; why: string };
type ProviderHealth = NonNullable<RunningHealth['providers']>[number];

export async function doctorCommand(dataDir: string, io: Output, env: Record<string, string | undefined>, key?: string): Promise<number> {
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
  const checked = validateConfig(config);
  // A config stored by an earlier version, which this one's validation refuses: it runs, but the next change to it is refused until it is mended.
  if (!checked.ok) for (const error of checked.errors) line('✗', `${error.path}: ${error.message} (the stored config runs as it is, but each change to it is refused until this is mended)`);
  for (const warning of checked.warnings) line('!', `${warning.path}: ${warning.message}`);
  if (running) line('✓', `A gateway serves this data dir at ${running.url} (pid ${running.pid})`);
  else line('!', `No gateway serves this data dir: "switchyard serve" starts one (at ${url})`);
  noticesLine(config, env, line);
  const outside = usageOutsideTheLog(dataDir);
  for (const { file, rows } of outside.refused) line('!', `${counted(rows, 'usage row')} a crashed gateway left, which the usage log refused, ${rows === 1 ? 'is' : 'are'} set aside in ${file}: not in the usage log (look, then delete the file)`);
  for (const file of outside.unreplayed) line('!', `A usage journal could not be replayed into the usage log: ${file} (its rows are not in the log yet; "switchyard serve" tries it again at its start, and says why)`);

  const view = running ? await gatewayView(running.url, key) : undefined;
  if (running?.exposed && !view) line('!', `The gateway listens beyond this machine, so what it says of its providers' keys needs a client key${key ? ', and the one given is not one' : ' (--key KEY)'}: the keys below are this shell's`);
  const { probes, embedsOnly } = await probeProviders(config, env, view);
  for (const provider of config.providers) {
    const probe = probes.get(provider.name)!;
    const listed = (result: ProbeResult) => (result.models ? `, ${counted(result.models.length, 'model')} listed` : '');
    if (probe.ok === 'unknown') line('!', `${provider.name} (${provider.baseUrl}): ${probe.why}`);
    else if (probe.ok && probe.seen) line('✓', `${provider.name} (${provider.baseUrl}) answered the gateway's ${probe.byAnswer ? 'last request' : 'probe'} ${probe.seen} in ${Math.round(probe.ms)} ms${listed(probe.result)} (${probe.byAnswer ? 'its probes are off; ' : ''}${keyHeld(provider.apiKey)})`);
    else if (probe.ok) line('✓', `${provider.name} (${provider.baseUrl}) answers in ${Math.round(probe.ms)} ms${listed(probe.result)}`);
    else line('✗', `${provider.name} (${provider.baseUrl}): ${probe.why}`);
  }

  const answers = (d: DeploymentConfig) => usable(d, config, probes);
  const missing = config.deployments.filter((d) => answers(d) === 'not installed');
  for (const d of missing) {
    const probe = probes.get(d.provider);
    const meant = probe?.ok === true ? modelMeant(probe.result.models ?? [], d.model) : undefined;
    line('✗', `${d.name}: ${d.model} is not installed on ${d.provider}${meant ? ` (it has ${meant}: the one meant? then make it the deployment's model)` : ''}: "switchyard pull ${d.name}" downloads it`);
  }
  for (const d of config.deployments.filter((x) => embedsOnly.has(x.name))) {
    line('✗', `${d.name}: ${d.model} is an embedding model (its Ollama says so), so every chat passes over it: set the deployment's type to "embedding", and name it in embeddings requests`);
  }
  for (const route of config.routes) {
    const able = route.deployments.filter((name) => {
      const d = config.deployments.find((x) => x.name === name);
      return d !== undefined && answers(d) === 'yes' && !embedsOnly.has(name);
    });
    if (able.length > 0) line('✓', `Route ${route.name}: ${able.join(', ')} can answer now`);
    else line('✗', `Route ${route.name}: none of ${route.deployments.join(', ')} can answer now (see above)`);
  }

  const { pointing, toolConnections } = await import('./connect/connections');
  for (const tool of toolConnections({ home: env.HOME || homedir(), env }, running?.url ?? url, config)) line(tool.unknownRoute ? '✗' : tool.state === 'here' ? '✓' : '!', pointing(tool));
  io.out(needed === 0 ? 'Nothing needs doing.\n' : `${counted(needed, 'thing')} to do.\n`);
  return needed === 0 ? 0 : 1;
}

/**
 * What the gateway serving the data dir says of its providers: its keys come from its own
 * environment (or the desktop app's keychain), which may not be this shell's. None from one that
 * does not answer, or one open to the network without a client key (`--key`, as `status` takes it).
 */
async function gatewayView(url: string, key: string | undefined): Promise<Map<string, ProviderHealth> | undefined> {
  const asked = await askHealth(url, key);
  if ('why' in asked || !asked.report.providers) return undefined;
  return new Map(asked.report.providers.map((p) => [p.name, p]));
}

/**
 * Every provider asked at once, as the gateway's probes ask: its key first, then its server. Where
 * a gateway serves the data dir, its key is the one that counts: a provider it cannot use is said
 * so, and one whose key only it has is judged by its last probe.
 */
async function probeProviders(config: Config, env: Record<string, string | undefined>, view: Map<string, ProviderHealth> | undefined): Promise<{ probes: Map<string, Probe>; embedsOnly: Set<string> }> {
  const { adapters } = createProviderSet(config.providers, upstreamContext(envSecrets(env), env));
  const probes = new Map<string, Probe>();
  try {
    await Promise.all(
      config.providers.map(async (provider) => {
        const adapter = adapters.get(provider.name);
        const theirs = view?.get(provider.name);
        const seen = theirs && theirs.kind === provider.kind && theirs.baseUrl === provider.baseUrl ? theirs : undefined;
        // Its API key's reference and its headers': a key the desktop app keeps, or one this shell lacks.
        const references = referencesOf(provider).map((r) => r.reference);
        const kept = references.some((r) => r.startsWith('secret:'));
        const keyless = kept || (adapter?.unavailableReason !== undefined && references.length > 0);
        if (seen?.status === 'unavailable') {
          const here = envName(provider.apiKey);
          const hint = here && adapter && !adapter.unavailableReason ? `; this shell has ${here}, the gateway's environment did not when it started: restart it where ${here} is set` : '';
          probes.set(provider.name, { ok: false, why: `the gateway serving this data dir cannot use it: ${seen.reason ?? 'its key is not set'}${hint}` });
          return;
        }
        if (seen && keyless) {
          probes.set(provider.name, probedBy(seen));
          return;
        }
        if (kept) {
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
    return { probes, embedsOnly: await embeddingModelsAsChat(config, probes, adapters) };
  } finally {
    await closeAdapters([...adapters.values()]);
  }
}

/**
 * Chat deployments whose model only embeds, as their Ollama's `/api/show` says (an embedding model
 * added as chat): the router passes them over for every chat request, so a route of them answers none.
 */
async function embeddingModelsAsChat(config: Config, probes: Map<string, Probe>, adapters: Map<string, ProviderAdapter>): Promise<Set<string>> {
  const found = new Set<string>();
  await Promise.all(
    config.deployments.map(async (d) => {
      const show = adapters.get(d.provider)?.show;
      if ((d.type ?? 'chat') !== 'chat' || d.enabled === false || probes.get(d.provider)?.ok !== true || !show) return;
      try {
        if (misfiledEmbedding(d.type, knownCapabilities(d, ollamaShowFacts(await show(d.model, AbortSignal.timeout(PROBE_MS)))))) found.add(d.name);
      } catch {
        // Not installed, or no answer: said by the lines above.
      }
    }),
  );
  return found;
}

/** A provider judged by the running gateway's last probe of it, or, where its probes are off, by its last answer to a request. */
function probedBy(seen: ProviderHealth): Probe {
  const probe = seen.probe;
  if (!probe && seen.probeIntervalMs === 0) return answeredBy(seen);
  if (!probe) return { ok: 'unknown', why: 'its key is the gateway\'s, and the gateway has not probed it yet: "switchyard doctor" again in a minute' };
  if (!probe.ok) return { ok: false, why: `does not answer the gateway: ${withoutProviderName(seen.name, probe.error ?? 'no answer')}` };
  return { ok: true, ms: probe.latencyMs, result: { models: probe.models }, seen: since(probe.at) };
}

/** Its probes off (`healthCheck.intervalMs: 0`), a waiting "again in a minute" would wait for ever: the requests it answered say how it is. */
function answeredBy(seen: ProviderHealth): Probe {
  const ok = seen.lastOkAt === null ? 0 : Date.parse(seen.lastOkAt);
  const failed = seen.lastFailureAt === null ? 0 : Date.parse(seen.lastFailureAt);
  if (failed > ok) return { ok: false, why: `its probes are off, and its last request from the gateway failed ${since(seen.lastFailureAt as string)}: ${withoutProviderName(seen.name, seen.lastError ?? 'no answer')}` };
  if (ok > 0) return { ok: true, ms: seen.lastLatencyMs ?? 0, result: { models: null }, seen: since(seen.lastOkAt as string), byAnswer: true };
  return { ok: 'unknown', why: "its key is the gateway's, its probes are off (healthCheck.intervalMs 0) and no request has gone to it yet: its Test connection (Providers page) checks it" };
}

const since = (at: string) => ago(Date.parse(at), Date.now());

const envName = (reference: string | undefined) => (reference?.startsWith('env:') ? reference.slice(4) : undefined);

/** Whose key the gateway's probe used, where this command could not send it. */
function keyHeld(reference: string | undefined): string {
  const name = envName(reference);
  return name ? `with the gateway's key: this shell has no ${name}` : "with the key the desktop app keeps in this system's keychain";
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
  // An Ollama judged by its answers (its probes off) listed nothing: taken as able, as its line says it answers.
  return probe.byAnswer || listsModel(probe.result.models ?? [], d.model) ? 'yes' : 'not installed';
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

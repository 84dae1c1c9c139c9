/**
 * `switchyard status`: whether a gateway serves this data dir, where, and what its `/health` says
 * (providers, deployments, budgets), the last day's breaker events (from the data dir), and where
 * the tools Switchyard connects point. The running gateway is found as `login-link` finds it (the
 * address it recorded in the data dir), and asked over HTTP like any monitor.
 */
import { homedir } from 'node:os';
import { budgetLines, columns, localTime, type Output } from './cli-output';
import { printable } from './printable';
import type { Config } from './config/schema';
import { createConfigStore } from './store/config-store';
import { openDatabase } from './store/db';
import { createGatewayAddress } from './store/gateway-address';
import { createHealthHistory } from './store/health-history';
import type { Transition } from './routing/circuit-breaker';
import type { HealthReport } from './surfaces/health/schema';
import { askHealth, type RunningHealth } from './running-health';

/** The exit status when no gateway serves the data dir: "not running", as LSB init scripts say it. */
const NOT_RUNNING = 3;
const DAY_MS = 86_400_000;
/** Breaker events listed, newest first: enough for a flapping deployment to show, not a log. */
const EVENTS = 10;

export async function statusCommand(dataDir: string, values: { format?: string; key?: string }, io: Output, env: Record<string, string | undefined>): Promise<number> {
  const { format, key } = values;
  if (format !== undefined && format !== 'text' && format !== 'json') {
    io.err(`Unknown format "${format}": use text or json\n`);
    return 2;
  }
  const db = openDatabase(dataDir);
  let running;
  let events: Transition[];
  let config: Config | undefined;
  try {
    running = createGatewayAddress(db).running();
    events = createHealthHistory(db).transitions(Date.now() - DAY_MS, EVENTS);
    config = createConfigStore(db).current();
  } finally {
    db.close();
  }
  if (!running) {
    io.err(`No Switchyard is serving ${dataDir}: "switchyard serve" starts one.\n`);
    return NOT_RUNNING;
  }
  const asked = await askHealth(running.url, key);
  if ('why' in asked) {
    io.err(`A Switchyard (pid ${running.pid}) serves ${dataDir} at ${running.url}, but its /health did not answer: ${asked.why}\n`);
    return 1;
  }
  const { report } = asked;
  // Loaded here: only status and connect read the tools' settings files (and need their parsers).
  const { pointing, toolConnections } = await import('./connect/connections');
  const tools = toolConnections({ home: env.HOME || homedir(), env }, running.url, config);
  if (format === 'json') {
    io.out(`${JSON.stringify({ url: running.url, pid: running.pid, dataDir, ...report, breakerEvents: events, tools })}\n`);
    return 0;
  }
  io.out(describe(report, { url: running.url, pid: running.pid, dataDir, keyGiven: key !== undefined }));
  io.out(breakerEvents(events));
  io.out(`Tools (what their settings files point at):\n${tools.map((c) => `  ${printable(pointing(c))}`).join('\n')}\n`);
  return 0;
}

function describe(report: RunningHealth, where: { url: string; pid: number; dataDir: string; keyGiven: boolean }): string {
  const lines = [`Switchyard ${report.version} at ${where.url} (pid ${where.pid}, up ${uptime(report.uptimeSeconds)}): ${report.status}`, `Data dir: ${where.dataDir}`];
  lines.push(`Store: ${report.store}${report.storeError ? ` (${report.storeError})` : ''}`);
  if (!report.providers) {
    // What anyone may read of a gateway reachable beyond this machine: the rest needs a client key.
    lines.push(`It listens beyond this machine: the rest of its report (providers, deployments, budgets) needs a client key${where.keyGiven ? ', and the one given is not one' : ' (--key KEY)'}, and is on the dashboard.`);
    return `${lines.join('\n')}\n`;
  }
  if (report.localOnly) lines.push('Local only: on (no request goes to a cloud provider)');
  const why = (p: HealthReport['providers'][number]) => p.reason ?? (p.status === 'up' ? '' : (p.lastError ?? p.probe?.error ?? ''));
  lines.push('Providers:', columns(report.providers.map((p) => [p.name, p.kind, p.baseUrl, p.status, `${p.inFlight} in flight, ${p.queued} queued`, why(p)]), { rightFrom: 6, indent: '  ' }));
  if (report.deployments?.length) {
    // Its cool-down over, an open breaker stays open until a request comes to try it: no "until" in the past.
    const until = (d: HealthReport['deployments'][number]) => (d.breaker.openUntil === null ? '' : Date.parse(d.breaker.openUntil) > Date.now() ? ` until ${localTime(new Date(d.breaker.openUntil), new Date())}` : ', cooled down: its next request tries it');
    const breaker = (d: HealthReport['deployments'][number]) => (d.breaker.state === 'closed' ? '' : `breaker ${d.breaker.state}${until(d)}${d.breaker.blockedMessage ? `: ${d.breaker.blockedMessage}` : ''}`);
    // Only an Ollama's deployments say (loaded is null for the others); a model it lacks is not one to load.
    const memory = (d: HealthReport['deployments'][number]) => (d.loaded === null ? '' : d.modelAvailable === false ? 'not installed' : d.loaded ? 'in memory' : 'not loaded');
    lines.push('Deployments:', columns(report.deployments.map((d) => [d.name, `${d.provider}/${d.model}`, d.status, memory(d), breaker(d)]), { rightFrom: 5, indent: '  ' }));
  }
  if (report.budgets?.length) lines.push('Budgets:', budgetLines(report.budgets, new Date()));
  return `${lines.join('\n')}\n`;
}

/** The last day's breaker transitions, newest first: why a deployment was skipped, and when it came back. */
function breakerEvents(events: readonly Transition[]): string {
  if (events.length === 0) return 'Breaker events: none in the last 24 h\n';
  const now = new Date();
  const rows = events.map((e) => [localTime(new Date(e.at), now), e.deployment, `${e.from} -> ${e.to}`, e.reason]);
  return `Breaker events (last 24 h, newest first${events.length === EVENTS ? `, the latest ${EVENTS}` : ''}):\n${columns(rows, { rightFrom: 4, indent: '  ' })}\n`;
}

function uptime(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

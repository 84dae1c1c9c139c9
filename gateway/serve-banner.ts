/**
 * What `switchyard serve` prints once it listens: where each front door is, the login link, the
 * routes, and a request to paste that works as printed (a model this config has, a key when one is
 * required).
 */
import { chatModelNames } from './config/for-clients';
import type { Config } from './config/schema';

export interface BannerInput {
  version: string;
  /** The gateway's origin, and its OpenAI base URL (origin + /v1). */
  url: string;
  baseUrl: string;
  loginToken: string;
  dataDir: string;
  config: Config;
  keysRequired: boolean;
  /** Where other machines reach a gateway bound to every interface (this machine's addresses). */
  otherMachines: readonly string[];
  /** Where notices are posted (the webhook's host alone: its path is a secret). */
  webhookHost?: string | undefined;
}

export function serveBanner(b: BannerInput): string {
  // Labels padded to one width, so the addresses line up.
  const line = (label: string, value: string) => `  ${`${label}:`.padEnd(20)}${value}`;
  const lines = [
    `Switchyard ${b.version} is running (headless).`,
    line('OpenAI base URL', b.baseUrl),
    line('Anthropic base URL', `${b.url}   (Claude Code's ANTHROPIC_BASE_URL: no /v1)`),
    line('Ollama base URL', b.url),
    line('Health', `${b.url}/health`),
    line('Metrics', `${b.url}/metrics   (Prometheus)`),
    line('Dashboard', `${b.url}/?token=${b.loginToken}   (login link: works once, for 24 h)`),
    ...(b.otherMachines.length > 0 ? [line('Other machines', `${b.otherMachines.map((origin) => `${origin}/v1`).join(', ')} (with a client key)`)] : []),
    line('Data dir', b.dataDir),
    ...(b.webhookHost ? [line('Notices', `posted to the webhook at ${b.webhookHost}`)] : []),
    line('Routes', b.config.routes.map((r) => `${r.name} -> ${r.deployments.join(' > ')}`).join('; ') || 'none'),
  ];
  const model = chatModelNames(b.config)[0];
  if (!model) lines.push('No chat route or deployment yet: add one in the dashboard.');
  else {
    const key = b.keysRequired ? ` -H 'authorization: Bearer <client key>'` : '';
    // Names are config names ([A-Za-z0-9._:/@-]), so single quotes hold them as they are.
    lines.push(`Try: curl ${b.baseUrl}/chat/completions -H 'content-type: application/json'${key} -d '{"model":"${model}","messages":[{"role":"user","content":"Hello"}]}'`);
    if (b.keysRequired) lines.push('Client keys are required here: make one with "switchyard keys create NAME" or in Settings.');
  }
  return lines.join('\n') + '\n';
}

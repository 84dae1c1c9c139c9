/**
 * What a new install still lacks, on the Overview until each is done (or the card is hidden): an
 * Ollama that answers, the local models the routes name, a cloud provider to fall back on (optional),
 * and a tool pointed here. Each item says how to do it where it is done; the states are the health
 * report's, the providers' keys, where the tools' settings files point, and the tools that sent
 * requests lately (a tool set up by environment variables or in an editor has no file to find).
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { configQueries } from '../../api/queries/config';
import { connectQueries } from '../../api/queries/connect';
import { healthQueries } from '../../api/queries/health';
import { usageQueries } from '../../api/queries/usage';
import { Card } from '../../ui/parts';

const HIDDEN_KEY = 'switchyard.gettingStarted.hidden';

interface Step {
  done: boolean;
  optional?: boolean;
  text: string;
  href?: string;
  action?: string;
}

export function GettingStarted() {
  const health = useQuery(healthQueries.now());
  const providers = useQuery(configQueries.providers());
  const connect = useQuery(connectQueries.guides(''));
  const overview = useQuery(usageQueries.overview());
  const [hidden, setHidden] = useState(() => window.localStorage.getItem(HIDDEN_KEY) === '1');
  // The connect guides fail for a config with no chat route yet: then no tool can be pointed here either.
  if (hidden || !health.data || !providers.data || connect.isPending || overview.isPending) return null;

  const steps: Step[] = [];
  for (const p of health.data.providers.filter((p) => p.kind === 'ollama')) {
    steps.push({ done: p.status === 'up', text: p.status === 'up' ? `Ollama answers at ${p.baseUrl}` : `Start Ollama ("ollama serve", or its app): Switchyard looks for it at ${p.baseUrl}` });
  }
  const ollamas = new Set(health.data.providers.filter((p) => p.kind === 'ollama' && p.status === 'up').map((p) => p.name));
  const missing = health.data.deployments.filter((d) => ollamas.has(d.provider) && d.modelAvailable === false);
  if (ollamas.size > 0) {
    steps.push(missing.length === 0 ? { done: true, text: "Every local deployment's model is installed" } : { done: false, text: `Not installed yet: ${[...new Set(missing.map((d) => d.model))].join(', ')}`, href: '/routes', action: 'Pull them on the Routes page' });
  }
  // Cloud as the router counts it (the health report's `local`), with a key where its provider names one.
  const keyMissing = new Set(providers.data.filter((p) => p.apiKey.reference && (!p.apiKey.set || p.apiKey.problem)).map((p) => p.name));
  const cloud = health.data.deployments.some((d) => !d.local && d.enabled && d.type === 'chat' && !keyMissing.has(d.provider));
  steps.push(cloud ? { done: true, text: 'A cloud provider takes over when the local model cannot answer' } : { done: false, optional: true, text: 'No cloud provider to fall back on: requests fail while Ollama is down', href: '/providers', action: 'Add a cloud provider' });
  const here = (connect.data?.connections ?? []).filter((c) => c.state === 'here');
  // A tool asking for a route renamed or deleted since has each request refused: pointed here, but not working.
  const lost = here.filter((c) => c.unknownRoute);
  const seen = (overview.data?.tools ?? []).map((t) => t.tool);
  if (lost.length > 0) steps.push({ done: false, text: `${lost.map((c) => `${c.tool} asks for ${c.route}`).join(', ')}, which is no route here any more`, href: '/connect', action: 'Connect it again' });
  else if (here.length > 0) steps.push({ done: true, text: `Pointed here: ${here.map((c) => c.tool).join(', ')}` });
  else if (seen.length > 0) steps.push({ done: true, text: `Requests arrive from ${seen.slice(0, 4).join(', ')}${seen.length > 4 ? ` and ${seen.length - 4} more` : ''}` });
  else steps.push({ done: false, text: 'No tool points here yet (Claude Code, Codex, opencode, editors)', href: '/connect', action: 'Point a tool here' });

  if (steps.every((s) => s.done || s.optional)) return null;
  const hide = () => {
    window.localStorage.setItem(HIDDEN_KEY, '1');
    setHidden(true);
  };
  return (
    <div style={{ marginBottom: 16 }}>
      <Card title="Getting started" actions={<button onClick={hide}>Hide</button>}>
        <ul className="checklist" data-testid="getting-started">
          {steps.map((s) => (
            <li key={s.text} className={s.done ? 'done' : 'todo'}>
              <span aria-hidden="true">{s.done ? '✓' : s.optional ? '○' : '✗'}</span> {s.text}
              {s.optional && !s.done ? <span className="muted"> (optional)</span> : null}
              {s.href && !s.done ? <> · <a href={s.href}>{s.action}</a></> : null}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}

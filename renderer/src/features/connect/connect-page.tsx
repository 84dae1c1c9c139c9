/**
 * Connect: every tool a developer points at Switchyard, with the exact settings for this gateway to
 * copy, and for Claude Code, Codex and opencode a button that writes the tool's own config file
 * (the change shown first as a diff, undoable); where a tool's requests can be told apart, when it
 * last sent one.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { connectMutations, connectQueries } from '../../api/queries/connect';
import { usageQueries } from '../../api/queries/usage';
import type { ConnectGuides, ConnectResult, ToolGuide } from '../../api/types';
import { Badge, Breakable, Card, ErrorNote, Field, Loading, Moment, Snippet } from '../../ui/parts';
import { CopyButton } from '../../ui/copy-button';

const API_NAMES: Record<ToolGuide['api'], string> = { anthropic: 'Anthropic Messages', responses: 'OpenAI Responses', openai: 'OpenAI', ollama: 'Ollama' };

export function ConnectPage() {
  const [route, setRoute] = useState('');
  const guides = useQuery(connectQueries.guides(route));
  // The tools that sent requests lately, by the names the usage log gives them: a tool set up by hand shows it reached here.
  const overview = useQuery(usageQueries.overview());
  const lastSeen = new Map((overview.data?.tools ?? []).map((t) => [t.tool, t.lastAt]));
  if (guides.isPending) return <Loading what="tools" />;
  if (guides.isError) return <ErrorNote error={guides.error} />;
  const { tools, models, connected, connections, keyRequired, url } = guides.data;
  const chosen = route || guides.data.model || '';
  return (
    <>
      <h1>Connect a tool</h1>
      <p className="sub">
        Every tool reaches this gateway at <code>{url}</code> ({`${url}/v1`} for OpenAI-style tools).{' '}
        {keyRequired ? 'Client keys are required: create one under Settings, or let "Connect" make one.' : 'Client keys are not required, so any key text works.'}
      </p>
      <Field label="Model (route) the tools ask for">
        <select value={chosen} onChange={(e) => setRoute(e.target.value)} aria-label="Route for tools">
          {models.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
      </Field>
      <div className="grid cols-2">
        {tools.map((tool) => (
          <ToolCard key={tool.id} tool={tool} route={chosen} connected={connected.includes(tool.connect ?? '')} connection={connections.find((c) => c.tool === tool.connect)} seenAt={latest((tool.seenAs ?? []).map((name) => lastSeen.get(name)))} />
        ))}
      </div>
    </>
  );
}

type Connection = ConnectGuides['connections'][number];

/** Where the tool's settings file points it now: here (and the route, or one renamed or deleted since), at another address (an old port), or elsewhere. */
function Pointing({ connection }: { connection: Connection | undefined }) {
  if (connection?.unknownRoute) return <Badge tone="bad">{`asks for ${connection.route}, which is not here: connect it again`}</Badge>;
  if (connection?.state === 'here') return <Badge tone="ok">{`connected${connection.route ? `: asks for ${connection.route}` : ''}`}</Badge>;
  if (connection?.state === 'other') return <Badge tone="warn">{`points at ${connection.url}, not here`}</Badge>;
  return null;
}

const latest = (times: (number | undefined)[]): number | undefined => times.reduce<number | undefined>((a, b) => (b === undefined ? a : Math.max(a ?? b, b)), undefined);

function ToolCard({ tool, route, connected, connection, seenAt }: { tool: ToolGuide; route: string; connected: boolean; connection: Connection | undefined; seenAt: number | undefined }) {
  return (
    <Card
      title={<span>{tool.name} <Badge tone="info">{API_NAMES[tool.api]}</Badge> <Pointing connection={connection} />{seenAt !== undefined ? <> <Badge tone="ok">last request <Moment at={seenAt} /></Badge></> : null}</span>}
      actions={tool.snippet ? <CopyButton text={tool.snippet.text}>Copy {tool.snippet.language}</CopyButton> : undefined}
    >
      {tool.configFile ? <div className="muted">{tool.configFile}</div> : null}
      <table className="settings-fields" aria-label={`${tool.name} settings`}>
        <tbody>
          {tool.settings.map((s) => (
            <tr key={s.label}>
              <td><Breakable text={s.label} /></td>
              <td><code><Breakable text={s.value} /></code></td>
              <td><CopyButton className="link" text={s.value} label={`Copy ${s.label}`}>copy</CopyButton></td>
            </tr>
          ))}
        </tbody>
      </table>
      {tool.snippet ? <Snippet>{tool.snippet.text}</Snippet> : null}
      {tool.connect ? <ConnectButton tool={tool.connect} name={tool.name} route={route} connected={connected} /> : null}
    </Card>
  );
}

function ConnectButton({ tool, name, route, connected }: { tool: string; name: string; route: string; connected: boolean }) {
  const client = useQueryClient();
  const run = useMutation(connectMutations.run(client, tool));
  const [plan, setPlan] = useState<{ result: ConnectResult; undo: boolean } | null>(null);
  const preview = (undo: boolean) => run.mutate({ dryRun: true, undo, ...(route ? { route } : {}) }, { onSuccess: (result) => setPlan({ result, undo }) });
  const apply = () => plan && run.mutate({ undo: plan.undo, ...(route ? { route } : {}) }, { onSuccess: (result) => setPlan({ result, undo: plan.undo }) });
  const done = plan?.result.applied;
  return (
    <div style={{ marginTop: 8 }}>
      <div className="row">
        <button className="primary" onClick={() => preview(false)} disabled={run.isPending}>Connect {name}</button>
        {connected ? <button onClick={() => preview(true)} disabled={run.isPending}>Undo</button> : null}
      </div>
      {run.isError ? <ErrorNote error={run.error} /> : null}
      {plan ? (
        <div data-testid={`connect-${tool}`}>
          {!plan.result.changed ? (
            <div className="notice">{plan.undo ? `${plan.result.file} is already as it was.` : `${plan.result.file} already points ${name} at Switchyard.`}</div>
          ) : done ? (
            <div className="notice ok" role="status">
              {plan.undo ? `Restored ${plan.result.file}.` : `Wrote ${plan.result.file}${plan.result.backup ? ` (the earlier file is kept as ${plan.result.backup})` : ''}.`}
              {plan.result.createdKey ? ` Created client key "${plan.result.createdKey}".` : ''}
            </div>
          ) : (
            <>
              <div className="muted">{plan.undo ? 'Undo would change' : 'This will change'} {plan.result.file}:</div>
              <Snippet className="diff">{plan.result.diff}</Snippet>
              <div className="row">
                <button className="primary" onClick={apply} disabled={run.isPending}>{plan.undo ? 'Restore the earlier file' : 'Write it'}</button>
                <button onClick={() => setPlan(null)}>Cancel</button>
              </div>
            </>
          )}
        </div>
      ) : null}
    </div>
  );
}

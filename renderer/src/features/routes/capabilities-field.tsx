/**
 * What a deployment's model can do, said in its form where its provider reports it wrong (a model
 * made with its own Modelfile whose tools Ollama does not list; a server that lists nothing): the
 * deployment's `capabilities`, which replace the reported ones. Unticked, it goes back to what the
 * provider reports, which the label shows.
 */
import { useQuery } from '@tanstack/react-query';
import { healthQueries } from '../../api/queries/health';
import type { Capability } from '../../api/types';

/** Each capability in the words of the form; every one the config knows, checked by the compiler. */
const LABELS = { completion: 'chat', tools: 'tools', vision: 'images', thinking: 'thinking', insert: 'fill in the middle', embedding: 'embeddings' } satisfies Record<Capability, string>;
const ALL = Object.keys(LABELS) as Capability[];

export function CapabilitiesField({ deployment, value, onChange }: { deployment: string | undefined; value: Capability[] | undefined; onChange: (value: Capability[] | undefined) => void }) {
  const health = useQuery(healthQueries.now());
  const reported = (health.data?.deployments.find((d) => d.name === deployment)?.capabilities ?? []).filter((c): c is Capability => (ALL as string[]).includes(c));
  const words = (list: readonly Capability[]) => list.map((c) => LABELS[c]).join(', ');
  return (
    <div style={{ marginBottom: 10 }}>
      <label className="row">
        <input type="checkbox" checked={value !== undefined} onChange={(e) => onChange(e.target.checked ? (reported.length > 0 ? reported : ['completion', 'tools']) : undefined)} />
        Say what its model can do, instead of what its provider reports{value === undefined && reported.length > 0 ? ` (${words(reported)})` : ''}
      </label>
      {value !== undefined ? (
        <div className="row" role="group" aria-label="What its model can do" style={{ marginLeft: 28, flexWrap: 'wrap', columnGap: 14 }}>
          {ALL.map((c) => (
            <label key={c} className="row" style={{ gap: 4 }}>
              <input type="checkbox" checked={value.includes(c)} onChange={(e) => onChange(e.target.checked ? ALL.filter((x) => x === c || value.includes(x)) : value.filter((x) => x !== c))} />
              {LABELS[c]}
            </label>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/**
 * What a deployment's model can do, said in its form where its provider reports it wrong (a model
 * made with its own Modelfile whose tools Ollama does not list; a server that lists nothing): the
 * deployment's `capabilities`, which replace the reported ones. Unticked, it goes back to what the
 * provider reports, which the label shows.
 */
import { useQuery } from '@tanstack/react-query';
import { healthQueries } from '../../api/queries/health';
import type { Capability } from '../../api/types';
import { OverrideChecklist } from '../../ui/override-checklist';

/** Each capability in the words of the form; every one the config knows, checked by the compiler. */
const LABELS = { completion: 'chat', tools: 'tools', vision: 'images', thinking: 'thinking', insert: 'fill in the middle', embedding: 'embeddings' } satisfies Record<Capability, string>;

export function CapabilitiesField({ deployment, value, onChange }: { deployment: string | undefined; value: Capability[] | undefined; onChange: (value: Capability[] | undefined) => void }) {
  const health = useQuery(healthQueries.now());
  const reported = (health.data?.deployments.find((d) => d.name === deployment)?.capabilities ?? []).filter((c): c is Capability => Object.hasOwn(LABELS, c));
  const words = reported.map((c) => LABELS[c]).join(', ');
  return (
    <OverrideChecklist
      say={`Say what its model can do, instead of what its server reports${value === undefined && words ? ` (${words})` : ''}`}
      group="What its model can do"
      labels={LABELS}
      value={value}
      initial={() => (reported.length > 0 ? reported : ['completion', 'tools'])}
      onChange={onChange}
    />
  );
}

/** "Load now" beside a local Ollama deployment whose model is not in memory, so its next request does not wait for the load. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { modelMutations } from '../../api/queries/health';
import type { LiveDeployment } from './live-state';

export function LoadButton({ deployment }: { deployment: LiveDeployment | undefined }) {
  const load = useMutation(modelMutations.load(useQueryClient()));
  if (!deployment || !deployment.installs || !deployment.local || deployment.type !== 'chat') return null;
  if (deployment.loaded !== false && !load.isPending && !load.isError) return null;
  return (
    <>
      <button className="link" onClick={() => load.mutate(deployment.name)} disabled={load.isPending} aria-label={`Load ${deployment.name}'s model now`}>
        {load.isPending ? 'Loading…' : 'Load now'}
      </button>
      {load.isError ? <div className="field-error" role="alert">{load.error.message}</div> : null}
    </>
  );
}

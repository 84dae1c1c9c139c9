/**
 * Beside a deployment whose model its Ollama does not have: "Pull" downloads it there (what the page
 * told the user to run in a terminal before), with a progress bar and the bytes while it runs (the
 * step's name while no size is known), Cancel, and Ollama's words when it fails. Once it ends the health report is asked again, so the badges turn.
 * Where asked (the Routes page), an installed model has "Update": the same pull, which brings its
 * newer version if the registry has one, and says which it was.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { pullMutations, pullQueries } from '../../api/queries/health';
import type { Pull } from '../../api/types';
import { errorText, useLiveError } from '../../ui/parts';
import type { LiveDeployment } from './live-state';

export function PullButton({ deployment, offerUpdate = false }: { deployment: LiveDeployment | undefined; offerUpdate?: boolean }) {
  const client = useQueryClient();
  const pulls = useQuery(pullQueries.list());
  const start = useMutation(pullMutations.start(client));
  const cancel = useMutation(pullMutations.cancel(client));
  const startError = useLiveError(start.error);
  const pull = deployment ? pulls.data?.find((p) => p.provider === deployment.provider && p.model === deployment.model) : undefined;
  const state = pull?.state;
  useEffect(() => {
    if (state === 'done') void client.invalidateQueries({ queryKey: ['health'] });
  }, [state, client]);
  if (!deployment?.installs) return null;
  const name = deployment.name;
  if (state === 'pulling' && pull) {
    // Ollama gives a layer's size only while it downloads it: before (the manifest) and after (verifying) the bar has no end.
    const sized = pull.total ? { value: pull.completed ?? 0, max: pull.total } : {};
    return (
      <span className="row" style={{ gap: 6, display: 'inline-flex', alignItems: 'center' }} data-testid={`pull-${name}`}>
        <progress {...sized} aria-label={`Pulling ${name}'s model`} style={{ width: 90 }} />
        <span className="muted">{pull.total ? `${gigabytes(pull.completed ?? 0)} of ${gigabytes(pull.total)} GB` : pull.status}</span>
        <button className="link" onClick={() => cancel.mutate(name)} disabled={cancel.isPending} aria-label={`Cancel pulling ${name}'s model`}>Cancel</button>
      </span>
    );
  }
  const failed = (startError ? errorText(startError) : undefined) ?? (state === 'failed' ? `${deployment.provider} did not pull ${deployment.model}: ${pull?.error ?? 'it failed'}` : undefined);
  if (deployment.modelAvailable !== false) {
    if (!offerUpdate || deployment.modelAvailable !== true) return null;
    const ended = state === 'done' && pull?.outcome ? OUTCOMES[pull.outcome] : undefined;
    return (
      <>
        <button className="link" onClick={() => start.mutate(name)} disabled={start.isPending} aria-label={`Update ${name}'s model`} title={`Pull ${deployment.model} again: Ollama downloads its newer version if its registry has one, and only what changed`}>
          Update
        </button>
        {ended ? <span className="muted" role="status"> {ended}</span> : null}
        {failed ? <div className="field-error" role="alert">{failed}</div> : null}
      </>
    );
  }
  return (
    <>
      <button className="link" onClick={() => start.mutate(name)} disabled={start.isPending} aria-label={`Pull ${name}'s model`} title={`Download ${deployment.model} to ${deployment.provider} (ollama pull)`}>
        Pull {deployment.model}
      </button>
      {failed ? <div className="field-error" role="alert">{failed}</div> : null}
    </>
  );
}

const OUTCOMES: Record<NonNullable<Pull['outcome']>, string> = { installed: 'pulled', updated: 'updated to its newer version', 'up to date': 'up to date: nothing newer' };

/** Bytes as Ollama's own progress counts them (decimal gigabytes), to a tenth. */
const gigabytes = (bytes: number) => (bytes / 1e9).toFixed(1);

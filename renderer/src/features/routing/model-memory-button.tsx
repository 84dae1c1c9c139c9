/**
 * Beside a local Ollama deployment: "Load now" when its model is not in memory, so its next request
 * does not wait for the load, and "Unload" when it is, to free the memory for something else.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { modelMutations } from '../../api/queries/health';
import { errorText, useLiveError } from '../../ui/parts';
import { memoryState, type LiveDeployment } from './live-state';

export function ModelMemoryButton({ deployment }: { deployment: LiveDeployment | undefined }) {
  const client = useQueryClient();
  const load = useMutation(modelMutations.load(client));
  const unload = useMutation(modelMutations.unload(client));
  const loadError = useLiveError(load.error);
  const unloadError = useLiveError(unload.error);
  // Nothing to load where the memory state says nothing: a cloud model, an Ollama not heard from, a model not pulled.
  // An embedding model loads as a chat one does (with an embed request of nothing).
  if (!deployment || !memoryState(deployment)) return null;
  const name = deployment.name;
  // While one works its button stays, with what it is doing; otherwise the report says which is wanted.
  const showUnload = unload.isPending || (!load.isPending && deployment.loaded);
  const error = showUnload ? unloadError : loadError;
  const failed = error ? errorText(error) : undefined;
  const [ask, other] = showUnload ? [unload, load] : [load, unload];
  const busy = load.isPending || unload.isPending;
  return (
    <>
      <button
        className="link"
        onClick={() => (other.reset(), ask.mutate(name))}
        disabled={busy}
        aria-label={showUnload ? `Unload ${name}'s model` : `Load ${name}'s model now`}
        title={showUnload ? 'Free its memory once the requests running on it finish' : 'Put it in memory before a request waits for it'}
      >
        {showUnload ? (busy ? 'Unloading…' : 'Unload') : busy ? 'Loading…' : 'Load now'}
      </button>
      {failed ? <div className="field-error" role="alert">{failed}</div> : null}
    </>
  );
}

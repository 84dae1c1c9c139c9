/**
 * What a provider's server was found to refuse (a field it does not know, the most it writes, an API
 * it does not serve), learned from its refusals and kept: shown on the provider's card, so a request
 * that reaches it changed is never a mystery, with Forget for after the server is upgraded.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { configQueries, providerMutations } from '../../api/queries/config';
import { ErrorNote } from '../../ui/parts';

export function ProviderQuirks({ provider }: { provider: string }) {
  const client = useQueryClient();
  // One list for every card: the page never asks after a provider removed elsewhere meanwhile.
  const all = useQuery(configQueries.quirks());
  const forget = useMutation(providerMutations.forgetQuirks(client));
  if (all.isError) return <ErrorNote error={all.error} />;
  const quirks = all.data?.filter((quirk) => quirk.provider === provider) ?? [];
  if (quirks.length === 0) return null;
  return (
    <div className="quirks" aria-label={`Learned about ${provider}`} style={{ marginTop: 10 }}>
      <div className="muted">Learned from its refusals, and sent so since:</div>
      <ul>
        {quirks.map((quirk) => (
          <li key={`${quirk.model} ${quirk.learned}`}>
            <span className="mono">{quirk.model}</span> {quirk.learned}
          </li>
        ))}
      </ul>
      <button onClick={() => forget.mutate(provider)} disabled={forget.isPending} title="After the server is upgraded: its next requests go as clients send them">
        Forget what was learned
      </button>
      {forget.isError ? <ErrorNote error={forget.error} /> : null}
    </div>
  );
}

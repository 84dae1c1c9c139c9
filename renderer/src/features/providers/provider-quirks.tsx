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
  const quirks = useQuery(configQueries.quirks(provider));
  const forget = useMutation(providerMutations.forgetQuirks(client));
  if (quirks.isError) return <ErrorNote error={quirks.error} />;
  if (!quirks.data?.length) return null;
  return (
    <div className="quirks" aria-label={`Learned about ${provider}`} style={{ marginTop: 10 }}>
      <div className="muted">Learned from its refusals, and sent so since:</div>
      <ul>
        {quirks.data.map((quirk) => (
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

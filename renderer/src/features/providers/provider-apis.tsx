/**
 * The APIs a provider's server serves itself, said in its form (its `apis`): requests in those pass
 * through with only the model changed, the rest are translated to one it serves. Needed where the
 * kind and address cannot tell (a llama.cpp or vLLM server added as Custom that fills in the middle
 * through text completions; a relay that speaks only Responses). Unticked, it goes back to what its
 * kind, address and (for an Ollama) version say; the last API ticked stays (a server serves one at least).
 */
import type { ProviderConfig } from '../../api/types';

type Api = NonNullable<ProviderConfig['apis']>[number];
/** Each API in the words of the form; every one the config knows, checked by the compiler. */
const LABELS = { chat: 'chat completions', responses: 'Responses', messages: 'Messages (Anthropic)', completions: 'text completions (fill in the middle)' } satisfies Record<Api, string>;
const ALL = Object.keys(LABELS) as Api[];

export function ProviderApis({ kind, value, onChange }: { kind: ProviderConfig['kind']; value: Api[] | undefined; onChange: (value: Api[] | undefined) => void }) {
  return (
    <div style={{ marginBottom: 10 }}>
      <label className="row">
        <input type="checkbox" checked={value !== undefined} onChange={(e) => onChange(e.target.checked ? [kind === 'anthropic' ? 'messages' : 'chat'] : undefined)} />
        Say which APIs its server serves itself, instead of what its kind and address say
      </label>
      {value !== undefined ? (
        <div className="row" role="group" aria-label="APIs its server serves" style={{ marginLeft: 28, flexWrap: 'wrap', columnGap: 14 }}>
          {ALL.map((api) => (
            <label key={api} className="row" style={{ gap: 4 }}>
              <input type="checkbox" checked={value.includes(api)} disabled={value.length === 1 && value.includes(api)} onChange={(e) => onChange(e.target.checked ? ALL.filter((x) => x === api || value.includes(x)) : value.filter((x) => x !== api))} />
              {LABELS[api]}
            </label>
          ))}
        </div>
      ) : null}
    </div>
  );
}

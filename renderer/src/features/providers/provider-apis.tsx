/**
 * The APIs a provider's server serves itself, said in its form (its `apis`): requests in those pass
 * through with only the model changed, the rest are translated to one it serves. Needed where the
 * kind and address cannot tell (a llama.cpp or vLLM server added as Custom that fills in the middle
 * through text completions; a relay that speaks only Responses). Unticked, it goes back to what its
 * kind, address and (for an Ollama) version say.
 */
import type { ProviderConfig } from '../../api/types';
import { OverrideChecklist } from '../../ui/override-checklist';

type Api = NonNullable<ProviderConfig['apis']>[number];
/** Each API in the words of the form; every one the config knows, checked by the compiler. */
const LABELS = { chat: 'chat completions', responses: 'Responses', messages: 'Messages (Anthropic)', completions: 'text completions (fill in the middle)' } satisfies Record<Api, string>;

export function ProviderApis({ kind, value, onChange }: { kind: ProviderConfig['kind']; value: Api[] | undefined; onChange: (value: Api[] | undefined) => void }) {
  return (
    <OverrideChecklist
      say="Say which APIs its server serves itself, instead of what its kind and address say"
      group="APIs its server serves"
      labels={LABELS}
      value={value}
      initial={() => [kind === 'anthropic' ? 'messages' : 'chat']}
      onChange={onChange}
    />
  );
}

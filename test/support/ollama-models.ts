/**
 * What the fake Ollama says of its models: `/api/tags`' summary of each (its digest, size and
 * details) and `/api/show`'s description, by the kind of model its name says it is.
 */

/** A version at least another, part by part as numbers (`0.12.10` after `0.12.6`). */
export function atLeast(version: string, minimum: string): boolean {
  const [a, b] = [version, minimum].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if ((a?.[i] ?? 0) !== (b?.[i] ?? 0)) return (a?.[i] ?? 0) > (b?.[i] ?? 0);
  return true;
}

/** The manifest digest of a model as installed, and of the newer version a registry may have. */
export const DIGEST = 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72';
export const NEWER_DIGEST = 'f2c9e8d7b6a5948372615049382716a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9';

/**
 * `/api/show` as Ollama answers it for a kind of model: its architecture and trained context,
 * the capabilities Ollama derives from the template and weights, and a template with `.Suffix`
 * only for fill-in-the-middle models. A model's newer version (its digest changed by a pull) has a
 * Modelfile of its own: a larger `num_ctx`; an Ollama before 0.9.0 lists no `thinking` capability.
 */
const kindOf = (model: string) => (/embed/.test(model) ? 'embed' : /coder/.test(model) ? 'coder' : /qwen3|gpt-oss/.test(model) ? 'thinker' : /llava|vision/.test(model) ? 'vision' : 'chat');
const archOf = (model: string) => ({ embed: 'nomic-bert', coder: 'qwen2', thinker: 'qwen3', vision: 'llama', chat: 'llama' })[kindOf(model)];

export function showFor(model: string, digest: string, version: string) {
  const kind = kindOf(model);
  const arch = archOf(model);
  // Ollama tells a thinking model by its capabilities since 0.9.0.
  const thinks = atLeast(version, '0.9.0') ? ['thinking'] : [];
  const capabilities = { embed: ['embedding'], coder: ['completion', 'tools', 'insert'], thinker: ['completion', 'tools', ...thinks], vision: ['completion', 'vision'], chat: ['completion', 'tools'] }[kind];
  const template =
    kind === 'coder'
      ? '{{- if .Suffix }}<|fim_prefix|>{{ .Prompt }}<|fim_suffix|>{{ .Suffix }}<|fim_middle|>{{- else }}{{ .Prompt }}{{- end }}'
      : '{{- range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>{{ .Content }}<|eot_id|>{{- end }}';
  return {
    parameters: `num_ctx                        ${digest === NEWER_DIGEST ? 16384 : 8192}\nstop                           "<|eot_id|>"`,
    template,
    details: summary(model).details,
    model_info: { 'general.architecture': arch, [`${arch}.context_length`]: kind === 'embed' ? 2048 : 131072 },
    capabilities,
  };
}

export function summary(name: string, digest = DIGEST) {
  return {
    name,
    model: name,
    modified_at: '2026-10-01T12:00:00.000000000Z',
    size: 2_019_393_189,
    digest,
    details: { parent_model: '', format: 'gguf', family: archOf(name), families: [archOf(name)], parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
  };
}

/**
 * What the Ollama-compatible endpoints require of a body: the fields the gateway reads or
 * translates are checked for type and range, including the `options` it maps to other APIs; other
 * fields pass through.
 */
import Type from 'typebox';
import { ModelName as Model, StopSequence } from '../openai/schemas';
import { isRecord } from '../../wire/records';

const KeepAlive = Type.Optional(Type.Union([Type.String(), Type.Number()]));
const Think = Type.Optional(Type.Union([Type.Boolean(), Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]));
/** Log probabilities (Ollama 0.12.11): up to 20 alternatives per token, as Ollama and OpenAI allow. */
const Logprobs = Type.Optional(Type.Boolean());
const TopLogprobs = Type.Optional(Type.Integer({ minimum: 0, maximum: 20 }));
/** Ollama's model options: the ones the gateway reads are typed; the rest pass through. */
const Options = Type.Optional(
  Type.Object(
    {
      temperature: Type.Optional(Type.Number({ minimum: 0 })),
      top_p: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
      top_k: Type.Optional(Type.Integer({ minimum: 0 })),
      seed: Type.Optional(Type.Integer()),
      num_ctx: Type.Optional(Type.Integer({ minimum: 1 })),
      num_predict: Type.Optional(Type.Integer({ minimum: -2 })),
      frequency_penalty: Type.Optional(Type.Number()),
      presence_penalty: Type.Optional(Type.Number()),
      stop: Type.Optional(Type.Array(StopSequence, { maxItems: 32 })),
    },
    { additionalProperties: true },
  ),
);

const open = { additionalProperties: true } as const;
/** Ollama's JSON mode or a JSON schema. */
const Format = Type.Optional(Type.Union([Type.String(), Type.Object({}, open)]));
/** A tool call in an assistant message: its arguments are an object in Ollama's API, not a string. */
const ToolCall = Type.Object({ function: Type.Object({ name: Type.String({ minLength: 1 }), arguments: Type.Optional(Type.Object({}, open)) }, open) }, open);
/** Ollama's tools are functions, each defining its function (one without is nothing a model can call). */
const Tool = Type.Object({ type: Type.Optional(Type.String()), function: Type.Object({ name: Type.String({ minLength: 1 }) }, open) }, open);

export const OllamaChatSchema = Type.Object(
  {
    model: Model,
    messages: Type.Optional(
      Type.Array(
        Type.Object(
          {
            role: Type.Union(['system', 'user', 'assistant', 'tool'].map((r) => Type.Literal(r))),
            content: Type.Optional(Type.String()),
            images: Type.Optional(Type.Array(Type.String())),
            thinking: Type.Optional(Type.String()),
            tool_calls: Type.Optional(Type.Array(ToolCall)),
            tool_name: Type.Optional(Type.String()),
          },
          open,
        ),
      ),
    ),
    tools: Type.Optional(Type.Array(Tool)),
    format: Format,
    stream: Type.Optional(Type.Boolean()),
    options: Options,
    keep_alive: KeepAlive,
    think: Think,
    logprobs: Logprobs,
    top_logprobs: TopLogprobs,
  },
  open,
);

export const OllamaGenerateSchema = Type.Object(
  {
    model: Model,
    prompt: Type.Optional(Type.String()),
    suffix: Type.Optional(Type.String()),
    system: Type.Optional(Type.String()),
    images: Type.Optional(Type.Array(Type.String())),
    context: Type.Optional(Type.Array(Type.Integer())),
    format: Format,
    stream: Type.Optional(Type.Boolean()),
    raw: Type.Optional(Type.Boolean()),
    options: Options,
    keep_alive: KeepAlive,
    think: Think,
    logprobs: Logprobs,
    top_logprobs: TopLogprobs,
  },
  { additionalProperties: true },
);

export const OllamaEmbedSchema = Type.Object(
  {
    model: Model,
    /** None ("", [] or absent) asks only that the model be loaded, as Ollama reads it. */
    input: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
    truncate: Type.Optional(Type.Boolean()),
    dimensions: Type.Optional(Type.Integer({ minimum: 1 })),
    keep_alive: KeepAlive,
    options: Options,
  },
  { additionalProperties: true },
);

/** The deprecated `/api/embeddings`: no `prompt` (or "") loads the model, as above. */
export const OllamaEmbeddingsSchema = Type.Object({ model: Model, prompt: Type.Optional(Type.String()), keep_alive: KeepAlive, options: Options }, { additionalProperties: true });

/** Older clients send `name` instead of `model`. */
export const OllamaShowSchema = Type.Object({ model: Type.Optional(Model), name: Type.Optional(Model), verbose: Type.Optional(Type.Boolean()) }, { additionalProperties: true });

/**
 * Ollama's own Go client (the `ollama` CLI, and Go tools built on its api package) sends a nil map or
 * slice as null (`"options": null` on every request without options, `"messages": null` to load a
 * model) and a name it does not use as "" (`/api/show` with `"name": ""`, or `"model": ""` from older
 * clients). Ollama reads a null as absent, in the body, its `options` and each message; so does this
 * front door, before its schemas check the body. One pass over fields the body already has.
 */
export function withoutGoZeroValues(body: unknown): void {
  if (!isRecord(body)) return;
  dropNulls(body, true);
  if (isRecord(body.options)) dropNulls(body.options, false);
  if (Array.isArray(body.messages)) for (const message of body.messages) if (isRecord(message)) dropNulls(message, false);
}

function dropNulls(fields: Record<string, unknown>, names: boolean): void {
  for (const key of Object.keys(fields)) {
    if (fields[key] === null || (names && fields[key] === '' && (key === 'model' || key === 'name'))) delete fields[key];
  }
}


/**
 * What the OpenAI-compatible endpoints require of a body before routing: the fields the gateway
 * reads or translates are checked for type and range (a bad value is the client's 400, never an
 * upstream's puzzle); every other field passes through to the upstream untouched.
 */
import Type from 'typebox';
import { PRINTABLE_PATTERN } from '../../config/patterns';

/** A model name: a route or deployment, never with control characters (they are a 400, not a 404). */
export const ModelName = Type.String({ minLength: 1, maxLength: 256, pattern: PRINTABLE_PATTERN });
/** A stop sequence, of a length the gateway can look for in every chunk of an answer (wire/stop-sequences.ts). */
export const StopSequence = Type.String({ maxLength: 1_000 });
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));
const open = { additionalProperties: true } as const;

const ContentPart = Type.Object({ type: Type.String({ minLength: 1 }) }, open);
/**
 * Content is text, a list of parts, or null (an assistant turn that only calls tools). A list has a
 * part, as OpenAI requires: an empty one, translated, would ask a chat model nothing.
 */
const Content = Type.Union([Type.String(), Type.Array(ContentPart, { minItems: 1 }), Type.Null()]);
/** A function call names its function (a custom tool's call, `type: "custom"`, carries its own fields). */
const ToolCall = Type.Union([
  Type.Object({ id: Type.Optional(Type.String()), type: Type.Optional(Type.Literal('function')), function: Type.Object({ name: Type.String(), arguments: Type.Optional(Type.String()) }, open) }, open),
  Type.Object({ id: Type.Optional(Type.String()), type: Type.String({ pattern: '^(?!function$)' }) }, open),
]);

const Message = Type.Object(
  {
    role: Type.Union(['system', 'developer', 'user', 'assistant', 'tool', 'function'].map((r) => Type.Literal(r))),
    content: Type.Optional(Content),
    name: Type.Optional(Type.String()),
    tool_calls: Type.Optional(Type.Array(ToolCall)),
    tool_call_id: Type.Optional(Type.String()),
    reasoning_content: Nullable(Type.String()),
  },
  open,
);

/** A function tool defines its function (a custom tool, `type: "custom"`, carries its own fields). */
const Tool = Type.Union([
  Type.Object({ type: Type.Literal('function'), function: Type.Object({ name: Type.String({ minLength: 1 }), parameters: Type.Optional(Type.Object({}, open)) }, open) }, open),
  Type.Object({ type: Type.String({ minLength: 1, pattern: '^(?!function$)' }) }, open),
]);

export const ChatBodySchema = Type.Object(
  {
    model: ModelName,
    messages: Type.Array(Message, { minItems: 1 }),
    stream: Nullable(Type.Boolean()),
    stream_options: Nullable(Type.Object({ include_usage: Type.Optional(Type.Boolean()) }, open)),
    n: Nullable(Type.Literal(1)),
    temperature: Nullable(Type.Number({ minimum: 0, maximum: 2 })),
    top_p: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
    max_tokens: Nullable(Type.Integer({ minimum: 1 })),
    max_completion_tokens: Nullable(Type.Integer({ minimum: 1 })),
    presence_penalty: Nullable(Type.Number({ minimum: -2, maximum: 2 })),
    frequency_penalty: Nullable(Type.Number({ minimum: -2, maximum: 2 })),
    seed: Nullable(Type.Integer()),
    stop: Nullable(Type.Union([StopSequence, Type.Array(StopSequence, { maxItems: 32 })])),
    logprobs: Nullable(Type.Boolean()),
    top_logprobs: Nullable(Type.Integer({ minimum: 0, maximum: 20 })),
    tools: Type.Optional(Type.Array(Tool)),
    tool_choice: Type.Optional(Type.Union([Type.String(), Type.Object({}, open)])),
    parallel_tool_calls: Nullable(Type.Boolean()),
    // A JSON schema format is translated for other upstreams (Ollama's format, Anthropic's output schema): its body is read.
    // OpenAI requires its name; Ollama's own OpenAI API does not, and clients made for it leave it out.
    response_format: Type.Optional(
      Type.Union([
        Type.Object({ type: Type.Literal('json_schema'), json_schema: Type.Object({ name: Type.Optional(Type.String({ maxLength: 64 })), schema: Type.Optional(Type.Object({}, open)) }, open) }, open),
        Type.Object({ type: Type.String({ minLength: 1, pattern: '^(?!json_schema$)' }) }, open),
      ]),
    ),
    reasoning_effort: Nullable(Type.String()),
    user: Type.Optional(Type.String()),
  },
  open,
);

/**
 * OpenAI's legacy text completions, as editors' autocomplete sends them: one prompt (a string, or a
 * list of one), a `suffix` to fill up to. What the gateway cannot give is refused by name: several
 * choices, `best_of`, `echo`, logprobs, token-id prompts.
 */
export const CompletionBodySchema = Type.Object(
  {
    model: ModelName,
    prompt: Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1, maxItems: 1 })]),
    suffix: Nullable(Type.String()),
    stream: Nullable(Type.Boolean()),
    stream_options: Nullable(Type.Object({ include_usage: Type.Optional(Type.Boolean()) }, open)),
    max_tokens: Nullable(Type.Integer({ minimum: 1 })),
    temperature: Nullable(Type.Number({ minimum: 0, maximum: 2 })),
    top_p: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
    presence_penalty: Nullable(Type.Number({ minimum: -2, maximum: 2 })),
    frequency_penalty: Nullable(Type.Number({ minimum: -2, maximum: 2 })),
    seed: Nullable(Type.Integer()),
    stop: Nullable(Type.Union([StopSequence, Type.Array(StopSequence, { maxItems: 32 })])),
    n: Nullable(Type.Literal(1)),
    best_of: Nullable(Type.Literal(1)),
    echo: Nullable(Type.Literal(false)),
    logprobs: Type.Optional(Type.Null()),
    user: Type.Optional(Type.String()),
  },
  open,
);

export const EmbeddingBodySchema = Type.Object(
  {
    model: ModelName,
    // Empty text has no embedding: OpenAI refuses it ("'$.input' is invalid"), and Ollama answers it with none.
    input: Type.Union([
      Type.String({ minLength: 1 }),
      Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
      Type.Array(Type.Integer(), { minItems: 1 }),
      Type.Array(Type.Array(Type.Integer(), { minItems: 1 }), { minItems: 1 }),
    ]),
    encoding_format: Type.Optional(Type.Union([Type.Literal('float'), Type.Literal('base64')])),
    dimensions: Type.Optional(Type.Integer({ minimum: 1 })),
    user: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

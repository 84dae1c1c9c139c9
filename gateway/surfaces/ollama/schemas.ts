/** What the Ollama-compatible endpoints require of a body; other fields pass through. */
import Type from 'typebox';

const Model = Type.String({ minLength: 1 });
const KeepAlive = Type.Optional(Type.Union([Type.String(), Type.Number()]));
const Think = Type.Optional(Type.Union([Type.Boolean(), Type.String()]));
const Options = Type.Optional(Type.Object({}, { additionalProperties: true }));

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
          },
          { additionalProperties: true },
        ),
      ),
    ),
    stream: Type.Optional(Type.Boolean()),
    options: Options,
    keep_alive: KeepAlive,
    think: Think,
  },
  { additionalProperties: true },
);

export const OllamaGenerateSchema = Type.Object(
  {
    model: Model,
    prompt: Type.Optional(Type.String()),
    suffix: Type.Optional(Type.String()),
    system: Type.Optional(Type.String()),
    images: Type.Optional(Type.Array(Type.String())),
    stream: Type.Optional(Type.Boolean()),
    raw: Type.Optional(Type.Boolean()),
    options: Options,
    keep_alive: KeepAlive,
    think: Think,
  },
  { additionalProperties: true },
);

export const OllamaEmbedSchema = Type.Object(
  {
    model: Model,
    input: Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1 })]),
    truncate: Type.Optional(Type.Boolean()),
    dimensions: Type.Optional(Type.Integer({ minimum: 1 })),
    keep_alive: KeepAlive,
    options: Options,
  },
  { additionalProperties: true },
);

export const OllamaEmbeddingsSchema = Type.Object({ model: Model, prompt: Type.String(), keep_alive: KeepAlive, options: Options }, { additionalProperties: true });

/** Older clients send `name` instead of `model`. */
export const OllamaShowSchema = Type.Object({ model: Type.Optional(Model), name: Type.Optional(Model), verbose: Type.Optional(Type.Boolean()) }, { additionalProperties: true });

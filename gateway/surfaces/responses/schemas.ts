/**
 * What the Responses front door requires of a body: the fields the gateway reads or translates are
 * checked for type and range; everything else passes through to Responses upstreams untouched.
 */
import Type from 'typebox';
import { ModelName } from '../openai/schemas';
import { ID_PATTERN, PAGE_SIZE_PATTERN } from '../../config/patterns';

const open = { additionalProperties: true } as const;
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));
const Item = Type.Object({ type: Type.Optional(Type.String({ minLength: 1 })), role: Type.Optional(Type.String()) }, open);
/** A function or custom tool is named (a call names it back); hosted tools (web search and the like) are not. */
const Tool = Type.Union([
  Type.Object({ type: Type.Union([Type.Literal('function'), Type.Literal('custom')]), name: Type.String({ minLength: 1, maxLength: 256 }) }, open),
  Type.Object({ type: Type.String({ minLength: 1, pattern: '^(?!(function|custom)$)' }), name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })) }, open),
]);
const ToolChoice = Type.Union([Type.String({ minLength: 1 }), Type.Object({ type: Type.String({ minLength: 1 }), name: Type.Optional(Type.String()) }, open)]);

/** Response ids as this gateway and OpenAI write them; anything else cannot name a stored response. */
const ResponseId = Type.String({ minLength: 1, maxLength: 256, pattern: ID_PATTERN });

export const ResponsesBodySchema = Type.Object(
  {
    model: ModelName,
    input: Type.Optional(Type.Union([Type.String(), Type.Array(Item)])),
    instructions: Nullable(Type.String()),
    previous_response_id: Nullable(ResponseId),
    tools: Type.Optional(Type.Array(Tool)),
    tool_choice: Type.Optional(ToolChoice),
    parallel_tool_calls: Nullable(Type.Boolean()),
    max_output_tokens: Nullable(Type.Integer({ minimum: 1 })),
    temperature: Nullable(Type.Number({ minimum: 0, maximum: 2 })),
    top_p: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
    top_logprobs: Nullable(Type.Integer({ minimum: 0, maximum: 20 })),
    text: Nullable(Type.Object({ format: Type.Optional(Type.Object({ type: Type.String({ minLength: 1 }) }, open)) }, open)),
    reasoning: Nullable(Type.Object({ effort: Nullable(Type.String()), summary: Nullable(Type.String()) }, open)),
    include: Nullable(Type.Array(Type.String(), { maxItems: 32 })),
    store: Nullable(Type.Boolean()),
    stream: Nullable(Type.Boolean()),
    metadata: Nullable(Type.Record(Type.String(), Type.String())),
  },
  open,
);

export const ResponseParamsSchema = Type.Object({ id: ResponseId }, { additionalProperties: false });

/** OpenAI's paging of a response's input items (a query string: its numbers are text); the rest (`include`) has nothing to add here. */
export const InputItemsQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.String({ pattern: PAGE_SIZE_PATTERN })),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  },
  open,
);

/**
 * What the Messages front door requires of a body: the fields the gateway reads or translates are
 * checked for type and range; everything else passes through to Messages upstreams untouched.
 */
import Type from 'typebox';
import { ModelName, StopSequence } from '../openai/schemas';

const open = { additionalProperties: true } as const;
const Block = Type.Object({ type: Type.String({ minLength: 1 }) }, open);
const Content = Type.Union([Type.String(), Type.Array(Block)]);
const Message = Type.Object({ role: Type.Union([Type.Literal('user'), Type.Literal('assistant'), Type.Literal('system')]), content: Content }, open);
const Tool = Type.Object({ name: Type.String({ minLength: 1, maxLength: 256 }) }, open);
const ToolChoice = Type.Object({ type: Type.Union(['auto', 'any', 'tool', 'none'].map((t) => Type.Literal(t))), name: Type.Optional(Type.String()) }, open);
const Thinking = Type.Object({ type: Type.String({ minLength: 1 }), budget_tokens: Type.Optional(Type.Integer({ minimum: 0 })) }, open);

const common = {
  model: ModelName,
  messages: Type.Array(Message, { minItems: 1 }),
  system: Type.Optional(Type.Union([Type.String(), Type.Array(Block)])),
  tools: Type.Optional(Type.Array(Tool)),
  tool_choice: Type.Optional(ToolChoice),
  thinking: Type.Optional(Thinking),
};

export const MessagesBodySchema = Type.Object(
  {
    ...common,
    max_tokens: Type.Integer({ minimum: 1 }),
    stream: Type.Optional(Type.Boolean()),
    stop_sequences: Type.Optional(Type.Array(StopSequence, { maxItems: 64 })),
    temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    top_p: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    top_k: Type.Optional(Type.Integer({ minimum: 0 })),
    metadata: Type.Optional(Type.Object({ user_id: Type.Optional(Type.Union([Type.String(), Type.Null()])) }, open)),
  },
  open,
);

export const CountTokensBodySchema = Type.Object(common, open);

/**
 * What the gateway reads of an upstream's answer, as schemas. An answer is checked against its shape
 * before anything reads it, so a server that answers 200 with something else (a choice that is not
 * an object, a tool call without its function, a usage of null) is said to be at fault, naming the
 * field, instead of failing in a translation as a TypeError ("Cannot read properties of undefined")
 * or reaching a client as "[object Object]". Only what is read is held to a type; every object
 * stays open, and the slips servers are known for (arguments as an object, no finish reason) are
 * let through here and mended by normalize.ts.
 */
import Type, { type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { describeSchemaErrors, schemaErrorsOf } from '../config/schema-errors';
import { UpstreamError } from '../errors';

const open = { additionalProperties: true } as const;
const Open = <T extends Type.TProperties>(properties: T) => Type.Object(properties, open);
/** A field a server may leave out or send as null. */
const Maybe = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));
const Count = Maybe(Type.Number());
/** Text, or (Mistral's reasoning models) a list of parts. */
const Content = Maybe(Type.Union([Type.String(), Type.Array(Type.Unknown())]));

const ChatUsage = Open({
  prompt_tokens: Count,
  completion_tokens: Count,
  total_tokens: Count,
  prompt_tokens_details: Maybe(Open({ cached_tokens: Count })),
  completion_tokens_details: Maybe(Open({ reasoning_tokens: Count })),
});
/** A whole answer's call is named (a custom tool's, OpenAI's other kind, under `custom`); a stream's later fragments carry only their arguments. */
const ChatCall = Type.Union([
  Open({ type: Type.Optional(Type.Literal('function')), id: Maybe(Type.String()), function: Open({ name: Type.String() }) }),
  Open({ type: Type.Literal('custom'), id: Maybe(Type.String()), custom: Open({ name: Type.String() }) }),
]);
const ChatCallFragment = Open({ id: Maybe(Type.String()), function: Maybe(Open({ name: Maybe(Type.String()) })) });
const ChatReasoning = { reasoning_content: Maybe(Type.String()), reasoning: Maybe(Type.String()) };

const ChatCompletion = Open({
  choices: Type.Array(Open({ message: Open({ content: Content, tool_calls: Maybe(Type.Array(ChatCall)), ...ChatReasoning }), logprobs: Maybe(Open({})) })),
  usage: Maybe(ChatUsage),
});
const ChatChunk = Open({
  choices: Type.Array(Open({ delta: Maybe(Open({ content: Content, tool_calls: Maybe(Type.Array(ChatCallFragment)), ...ChatReasoning })), logprobs: Maybe(Open({})), usage: Maybe(ChatUsage) })),
  usage: Maybe(ChatUsage),
});

const OllamaLine = Open({
  message: Maybe(Open({ content: Maybe(Type.String()), thinking: Maybe(Type.String()), tool_calls: Maybe(Type.Array(Open({ function: Open({ name: Type.String() }) }))) })),
  response: Maybe(Type.String()),
  thinking: Maybe(Type.String()),
  prompt_eval_count: Count,
  eval_count: Count,
});

const AnthropicUsage = Open({ input_tokens: Count, output_tokens: Count, cache_read_input_tokens: Count, cache_creation_input_tokens: Count });
const AnthropicBlock = Open({ type: Type.String(), text: Type.Optional(Type.String()), thinking: Type.Optional(Type.String()), name: Type.Optional(Type.String()) });
/** Anthropic always sends usage; a compatible server that does not has its answer's tokens counted by the gateway, as for any server that reports none. */
const AnthropicMessage = Open({ type: Type.Literal('message'), content: Type.Array(AnthropicBlock), usage: Maybe(AnthropicUsage) });
/**
 * A stream's events by type: the fields each reads, held to their types. An event of another type
 * (a ping, a stop, one to come) need only be an object, its type a string where it has one (an
 * SSE event's name stands in where it has none).
 */
type Events = { events: Record<string, TSchema> };
const AnyEvent = Open({ type: Type.Optional(Type.String()) });

const AnthropicEvents: Events = {
  events: {
    message_start: Open({ message: Open({ usage: Maybe(AnthropicUsage) }) }),
    content_block_start: Open({ content_block: AnthropicBlock }),
    content_block_delta: Open({ delta: Open({ type: Type.String(), text: Type.Optional(Type.String()), thinking: Type.Optional(Type.String()), partial_json: Type.Optional(Type.String()), signature: Type.Optional(Type.String()) }) }),
    message_delta: Open({ delta: Open({}), usage: Maybe(AnthropicUsage) }),
  },
};

const ResponsesPart = Open({ type: Type.String(), text: Type.Optional(Type.String()) });
const ResponsesUsage = Open({ input_tokens: Count, output_tokens: Count, total_tokens: Count, input_tokens_details: Maybe(Open({ cached_tokens: Count })), output_tokens_details: Maybe(Open({ reasoning_tokens: Count })) });
const Text = Type.Optional(Type.String());
/** An output item: a message's and reasoning's parts, a call's name and arguments, are read; other items are passed on. */
const ResponsesItem = Open({
  type: Type.String(),
  role: Text,
  content: Maybe(Type.Array(ResponsesPart)),
  summary: Maybe(Type.Array(ResponsesPart)),
  name: Text,
  call_id: Text,
  arguments: Text,
  input: Text,
});
const ResponseObject = Open({ output: Type.Array(ResponsesItem), usage: Maybe(ResponsesUsage) });
const InProgress = Open({ response: Open({ output: Type.Optional(Type.Array(ResponsesItem)) }) });
const Finished = Open({ response: ResponseObject });
const Delta = Open({ delta: Type.String() });
const Item = Open({ item: ResponsesItem });
const Part = Open({ part: ResponsesPart });
const Done = Open({ text: Text });
const ResponsesEvents: Events = {
  events: {
    'response.created': InProgress,
    'response.in_progress': InProgress,
    'response.completed': Finished,
    'response.incomplete': Finished,
    'response.function_call_arguments.done': Open({ arguments: Text }),
    'response.custom_tool_call_input.done': Open({ input: Text }),
    'response.output_item.added': Item,
    'response.output_item.done': Item,
    'response.content_part.added': Part,
    'response.content_part.done': Part,
    'response.reasoning_summary_part.added': Part,
    'response.reasoning_summary_part.done': Part,
    'response.output_text.delta': Delta,
    'response.refusal.delta': Delta,
    'response.reasoning_summary_text.delta': Delta,
    'response.reasoning_text.delta': Delta,
    'response.function_call_arguments.delta': Delta,
    'response.custom_tool_call_input.delta': Delta,
    'response.output_text.done': Done,
    'response.reasoning_summary_text.done': Done,
    'response.reasoning_text.done': Done,
  },
};

/** The shapes, each named as a fault names it. */
const SHAPES = {
  'chat completion': ChatCompletion,
  'chat completion chunk': ChatChunk,
  'Ollama answer line': OllamaLine,
  'Messages answer': AnthropicMessage,
  'Messages stream event': AnthropicEvents,
  Response: ResponseObject,
  'Responses stream event': ResponsesEvents,
} satisfies Record<string, TSchema | Events>;
export type ShapeName = keyof typeof SHAPES;

const compiled = new Map<string, ReturnType<typeof Compile>>();

/** The schema `value` is held to: a stream event's is its type's. */
function schemaFor(name: ShapeName, value: unknown): { key: string; schema: TSchema } {
  const shape: TSchema | Events = SHAPES[name];
  if (!('events' in shape)) return { key: name, schema: shape };
  const type = (value as { type?: unknown } | null)?.type;
  const own = typeof type === 'string' && Object.hasOwn(shape.events, type) ? shape.events[type] : undefined;
  return own ? { key: `${name}/${String(type)}`, schema: own } : { key: 'event', schema: AnyEvent };
}

/**
 * What is wrong with `value` as the named answer, in words (`choices[0].message must be object (got
 * 1.5)`); undefined when it has the shape. Compiled on first use: most gateways meet a few of them.
 */
function shapeFault(name: ShapeName, value: unknown): { path: string; message: string } | undefined {
  const { key, schema } = schemaFor(name, value);
  let validator = compiled.get(key);
  if (!validator) compiled.set(key, (validator = Compile(schema)));
  if (validator.Check(value)) return undefined;
  return describeSchemaErrors(schemaErrorsOf(validator, value), value)[0] ?? { path: '', message: 'is not of its shape' };
}

/**
 * `value`, when it is the named answer; else the upstream's protocol failure, naming what is wrong:
 * JSON that is something else altogether (a models list where a completion was due) is said to be so.
 */
export function ofShape<T>(name: ShapeName, value: unknown, providerName: string): T {
  const fault = shapeFault(name, value);
  if (!fault) return value as T;
  const what = `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
  const words = fault.path ? `${fault.path} ${fault.message}` : fault.message;
  throw new UpstreamError('upstream_protocol', /[.[]/.test(fault.path) ? `${providerName} sent ${what} the gateway cannot read: ${words}` : `${providerName} sent JSON that is not ${what}: ${words}`);
}

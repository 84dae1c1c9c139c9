/**
 * What the adapters learned of each server from its refusals (unknown-fields.ts, output-limit.ts,
 * responses-bridge.ts, thinking-learner.ts, template-quirks.ts), held here rather than in each adapter: one map per learner and server,
 * started from what the store kept, so neither a restart nor a config change that makes an adapter
 * again costs a refused round trip per quirk. The learners read and set the maps; this module only
 * starts, keeps, lists and forgets them.
 */
import type { ProviderConfig } from '../config/schema';
import type { LearnerMemory, ProviderContext, QuirkMemory, QuirkRow, QuirkRows } from './types';

/** The server a provider reaches: another base URL is another server, with quirks of its own; its name is not part of it. */
export const serverOf = (config: Pick<ProviderConfig, 'kind' | 'baseUrl'>): string => `${config.kind} ${config.baseUrl}`;

/** Without `rows`, what is learned lasts as long as the process. */
export function createQuirkMemory(rows?: QuirkRows): QuirkMemory {
  const maps = new Map<string, Map<string, unknown>>();
  const keyOf = (server: string, learner: string) => `${server}\u0000${learner}`;
  return {
    learner<V>(server: string, learner: string, read: (stored: unknown) => V | undefined, store: (value: V) => unknown): LearnerMemory<V> {
      const key = keyOf(server, learner);
      let learned = maps.get(key) as Map<string, V> | undefined;
      if (!learned) {
        learned = new Map();
        // Kept values are read from disk: each is checked by `read`, and one it refuses is learned again.
        for (const [model, stored] of rows?.recall(server, learner) ?? []) {
          const value = read(stored);
          if (value !== undefined) learned.set(model, value);
        }
        maps.set(key, learned as Map<string, unknown>);
      }
      return { learned, remember: (model, value) => rows?.note(server, learner, model, store(value)) };
    },
    list: (server) => rows?.list(server) ?? [],
    forget(server) {
      for (const [key, learned] of maps) if (key.startsWith(`${server}\u0000`)) learned.clear();
      rows?.forget(server);
    },
  };
}

/** A learner's memory of this provider's server, or one of its own when the adapter has no quirk memory (a CLI command's). */
export function learnerMemory<V>(context: Pick<ProviderContext, 'quirks'>, config: ProviderConfig, learner: string, read: (stored: unknown) => V | undefined, store: (value: V) => unknown = (v) => v): LearnerMemory<V> {
  return context.quirks?.learner(serverOf(config), learner, read, store) ?? { learned: new Map(), remember: () => undefined };
}

/** A learner that notes models alone (Responses only, no thinking): each kept as `true`. */
export const modelsMemory = (context: Pick<ProviderContext, 'quirks'>, config: ProviderConfig, learner: string): LearnerMemory<true> =>
  learnerMemory(context, config, learner, (stored) => (stored === true ? true : undefined));

const SCOPES: Record<string, string> = { request: '', message: ' in messages', call: ' in tool calls', tool: ' in tools', cache: ' in caching hints' };
const fieldText = (field: string) => {
  const colon = field.indexOf(':');
  return `\`${field.slice(colon + 1)}\`${SCOPES[field.slice(0, colon)] ?? ''}`;
};

/** What a kept quirk means, in words for the dashboard: what the server refused and what is sent it instead. */
export function describeQuirk({ learner, value }: Pick<QuirkRow, 'learner' | 'value'>): string {
  if (learner === 'output-limit') return `writes at most ${Number(value).toLocaleString('en-US')} tokens an answer: asked for no more`;
  if (learner === 'responses-only') return 'is served by the Responses API alone: chat goes to it that way';
  if (learner === 'no-thinking') return 'does not think: asked for none';
  if (learner === 'leading-system') return 'takes one system message, first: a later one sent as a reminder in the user message before it';
  if (learner === 'history-reasoning') return 'wants its reasoning back on every assistant turn: a turn without any sent with an empty one';
  if (learner === 'prefill-unthought') return 'thinks in no continued answer: a conversation ending in an assistant message sent with thinking off';
  if (learner === 'alternating-turns') return 'takes user and assistant messages only in turn: a run of either sent as one message';
  if (learner === 'parsed-arguments') return "parses tool calls' arguments: those that are not JSON sent as an object that keeps their text";
  const api = { 'chat-fields': 'chat', 'responses-fields': 'Responses', 'messages-fields': 'Messages' }[learner] ?? learner;
  const kept = (value ?? {}) as { fields?: unknown; efforts?: unknown; nineCharIds?: unknown; noDeferral?: unknown; noLookaround?: unknown };
  const parts: string[] = [];
  const fields = Array.isArray(kept.fields) ? kept.fields.filter((f): f is string => typeof f === 'string') : [];
  if (fields.length > 0) parts.push(`refuses ${fields.map(fieldText).join(', ')}: left out`);
  if (Array.isArray(kept.efforts)) parts.push(`takes the efforts ${kept.efforts.join(', ')}: asked at the nearest`);
  if (kept.nineCharIds === true) parts.push('takes tool call ids of nine letters and digits: others sent as a digest');
  if (kept.noDeferral === true) parts.push('defers no tools: sent the tools the model would see');
  if (kept.noLookaround === true) parts.push('refuses lookaround in tool schema patterns: those patterns left out');
  return `${api} requests: ${parts.join('; ') || 'nothing left out'}`;
}

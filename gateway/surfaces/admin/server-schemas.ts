/**
 * What the admin API says of the servers behind the providers: a model put in memory or let go, the
 * pulls of models to an Ollama, and what a server was found to refuse (providers/quirk-memory.ts);
 * and of the chat webhook notices are posted to.
 */
import Type from 'typebox';
import { NullableNumber, NullableString } from './schema-parts';

/** A model put in memory or let go: which, and how long the Ollama took. */
export const ModelMemorySchema = Type.Object({ deployment: Type.String(), model: Type.String(), ms: Type.Integer() });
/** A model being pulled to an Ollama, or pulled a moment ago: its latest step and bytes, and how it ended. */
export const PullViewSchema = Type.Object({
  provider: Type.String(), model: Type.String(), state: Type.Union([Type.Literal('pulling'), Type.Literal('done'), Type.Literal('failed'), Type.Literal('cancelled')]), status: Type.String(),
  completed: NullableNumber, total: NullableNumber, error: NullableString, startedAt: Type.Number(), endedAt: NullableNumber,
  // How a finished pull left the model: its manifest digest before and after (null while it runs or when unknown).
  outcome: Type.Union([Type.Literal('installed'), Type.Literal('updated'), Type.Literal('up to date'), Type.Null()]),
});
export const PullListSchema = Type.Object({ pulls: Type.Array(PullViewSchema) });
/** What a provider's server was found to refuse, model by model, and what is sent it instead (newest first). */
const QuirkViewSchema = Type.Object({ provider: Type.String(), model: Type.String(), learned: Type.String(), learnedAt: Type.Number() });
export const QuirkListSchema = Type.Object({ quirks: Type.Array(QuirkViewSchema) });

export type ModelMemory = Type.Static<typeof ModelMemorySchema>;
export type PullView = Type.Static<typeof PullViewSchema>;
export type PullList = Type.Static<typeof PullListSchema>;
export type QuirkView = Type.Static<typeof QuirkViewSchema>;
export type QuirkList = Type.Static<typeof QuirkListSchema>;
/**
 * Where the gateway's notices (a provider down, a budget spent...) go: the desktop's notifications,
 * a webhook's host (its path is a secret) and where it is set, or nowhere; why a webhook that is set
 * cannot be posted to, and what to know about one that can.
 */
export const NoticesViewSchema = Type.Object({
  desktop: Type.Boolean(),
  webhookHost: NullableString,
  webhookFrom: Type.Union([Type.Literal('settings'), Type.Literal('environment'), Type.Null()]),
  webhookProblem: NullableString,
  webhookWarning: NullableString,
});
export type NoticesView = Type.Static<typeof NoticesViewSchema>;
/** A test notice posted to the webhook: whether it arrived, in words for the page. */
export const NoticeTestSchema = Type.Object({ delivered: Type.Boolean(), message: Type.String() });
export type NoticeTestResult = Type.Static<typeof NoticeTestSchema>;
/** A webhook URL pasted in Settings: kept by the desktop's key store, never shown again (the host is). */
export const WebhookInputSchema = Type.Object({ url: Type.String({ minLength: 1, maxLength: 2048 }) }, { additionalProperties: false });
export type WebhookInput = Type.Static<typeof WebhookInputSchema>;

/**
 * Ids the gateway makes up for answers and tool calls (Ollama before 0.12.10 gives none). They must be
 * unique, not secret: a random prefix per process and a counter. randomBytes per id cost about
 * 25 us of CPU per call on this machine, 14% of a request through an Ollama upstream.
 */
import { randomBytes } from 'node:crypto';

const prefix = randomBytes(9).toString('base64url');
let counter = 0;
const next = () => `${prefix}${(++counter).toString(36)}`;

export const newCompletionId = (): string => `chatcmpl-${next()}`;
export const newToolCallId = (): string => `call_${next()}`;
export const newToolUseId = (): string => `toolu_${next()}`;
export const newTextCompletionId = (): string => `cmpl-${next()}`;

/**
 * Modules that only some configs or requests need, loaded on first use rather than at start: the
 * Temporal polyfill (only deployments with time windows) and the price table (only cloud
 * deployments without their own pricing). Synchronous on purpose: their callers are on synchronous
 * paths, and each loads once, in ~15-60 ms. (The tokenizer, ~300 ms, loads in a worker thread:
 * usage/token-counter.ts.)
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export function lazy<T>(id: string): () => T {
  let module: T | undefined;
  return () => (module ??= load(id) as T);
}

export const temporal = lazy<typeof import('temporal-polyfill')>('temporal-polyfill');

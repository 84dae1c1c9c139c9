/**
 * The route card's failures that move on (renderer/src/features/routes/fallback-on.tsx) hold a copy of the
 * gateway's default, as the renderer's bundle carries no gateway code: this keeps the two in step
 * (its labels cover every failure class, a client that left aside, by the compiler).
 */
import { expect, it } from 'vitest';
import { DEFAULT_FALLBACK_ON as GATEWAY_DEFAULT } from '../../gateway/routing/retry';
import { DEFAULT_FALLBACK_ON } from '../../renderer/src/features/routes/fallback-on';

it("opens on the gateway's own default", () => {
  expect(DEFAULT_FALLBACK_ON).toEqual(GATEWAY_DEFAULT);
});

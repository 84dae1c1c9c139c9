/**
 * The provider form's headers say a key typed as plain text where the gateway's config check warns
 * of one: the renderer's bundle carries no gateway code, so its copy of the list is kept in step here.
 */
import { expect, it } from 'vitest';
import { CREDENTIAL_HEADER as GATEWAY } from '../../gateway/config/validate';
import { CREDENTIAL_HEADER } from '../../renderer/src/features/providers/provider-headers';

it("names the headers that carry a key as the gateway's check does", () => {
  expect(CREDENTIAL_HEADER.source).toBe(GATEWAY.source);
  expect(CREDENTIAL_HEADER.flags).toBe(GATEWAY.flags);
});

/** `x-switchyard-prefer`: a deployment of the route tried first, the rest in order after it. */
import { describe, expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();

describe('preference', () => {
  it('tries the deployment named in x-switchyard-prefer first', async () => {
    const { response } = await t.h.openai.chat.completions
      .create({ model: 'default', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-switchyard-prefer': 'mini' } })
      .withResponse();
    expect(response.headers.get('x-switchyard-deployment')).toBe('mini');
    expect(t.ollama.requests).toHaveLength(0);
  });

  it('still falls back to the rest of the route in order when the preferred one fails', async () => {
    await t.openai.setMode({ kind: 'status', status: 500 });
    const { res } = await t.chat({ model: 'default' }, { 'x-switchyard-prefer': 'mini' });
    expect(res.headers.get('x-switchyard-deployment')).toBe('llama');
  });

  it('refuses a preference outside the route with a 400 that lists the route', async () => {
    const { res, text } = await t.chat({ model: 'default' }, { 'x-switchyard-prefer': 'local-embed' });
    expect(res.status).toBe(400);
    expect(JSON.parse(text).error).toMatchObject({ param: 'x-switchyard-prefer', message: expect.stringContaining('llama, mini') });
  });
});

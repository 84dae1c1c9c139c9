/**
 * Ollama takes any temperature and penalty; OpenAI refuses one out of its range ("3 is
 * greater than the maximum of 2 - 'temperature'"). An Ollama client's request that fell back to the
 * cloud failed there for it. The nearest value in range goes instead; an Ollama gets it as sent.
 */
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
const options = { temperature: 3, presence_penalty: -3, frequency_penalty: 2.5 };

it('sends sampling options past OpenAI\'s ranges to the cloud at the nearest value it takes', async () => {
  const answer = await t.h.ollama.chat({ model: 'mini', messages: [{ role: 'user', content: 'hi' }], options });
  expect(answer.message.content).toBe('Echo: hi');
  expect(t.openai.requests.at(-1)?.body).toMatchObject({ temperature: 2, presence_penalty: -2, frequency_penalty: 2 });
});

it('sends them to an Ollama as they came', async () => {
  await t.h.ollama.chat({ model: 'llama', messages: [{ role: 'user', content: 'hi' }], options });
  expect(t.ollama.requests.at(-1)?.body.options).toMatchObject(options);
});

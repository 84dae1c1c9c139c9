/** What counts as local: what "local first", "local only" and "saved by local" mean. */
import { expect, it } from 'vitest';
import { isLocalDeployment, isLocalProvider, isOnLocalNetwork } from '../../gateway/providers/locality';

const ollama = (baseUrl: string, local?: boolean) => ({ kind: 'ollama', baseUrl, ...(local === undefined ? {} : { local }) });

it('takes an Ollama on this machine or the LAN as local, and one on the internet (ollama.com) as cloud', () => {
  const local = ['http://127.0.0.1:11434', 'http://localhost:11434', 'http://[::1]:11434', 'http://192.168.1.20:11434', 'http://10.0.0.5:11434', 'http://172.20.1.1:11434', 'http://100.101.102.103:11434', 'http://gpu-box:11434', 'http://studio.local:11434', 'http://nas.lan:11434', 'http://gpu.tail1234.ts.net:11434', 'http://[fd12::1]:11434'];
  for (const url of local) expect(isLocalProvider(ollama(url)), url).toBe(true);
  // A name that starts like a loopback address is a name: anyone can point it anywhere.
  for (const url of ['https://ollama.com', 'https://ollama.example.org:11434', 'http://8.8.8.8:11434', 'http://172.32.0.1:11434', 'http://127.0.0.1.example.com:11434', 'http://127.models.example.com:11434']) expect(isLocalProvider(ollama(url)), url).toBe(false);
  // The provider's own word wins.
  expect(isLocalProvider(ollama('https://ollama.example.org', true))).toBe(true);
  expect(isLocalProvider(ollama('http://127.0.0.1:11434', false))).toBe(false);
});

it('takes other servers as local only on this machine', () => {
  expect(isLocalProvider({ kind: 'openai', baseUrl: 'http://127.0.0.1:1234/v1' })).toBe(true);
  expect(isLocalProvider({ kind: 'openai', baseUrl: 'http://127.0.0.1.example.com:1234/v1' })).toBe(false);
  expect(isLocalProvider({ kind: 'openai', baseUrl: 'http://192.168.1.20:8000/v1' })).toBe(false);
  expect(isLocalProvider({ kind: 'openai', baseUrl: 'https://api.openai.com/v1' })).toBe(false);
});

it('tells a server elsewhere on the local network that its config does not mark either way', () => {
  for (const url of ['http://192.168.1.20:1234/v1', 'http://gpu-box:8000/v1', 'http://studio.local:1234/v1']) expect(isOnLocalNetwork({ kind: 'openai', baseUrl: url }), url).toBe(true);
  for (const url of ['http://127.0.0.1:1234/v1', 'https://api.openai.com/v1', 'http://8.8.8.8/v1', 'not a url']) expect(isOnLocalNetwork({ kind: 'openai', baseUrl: url }), url).toBe(false);
  // Marked either way, it is what it says.
  expect(isOnLocalNetwork({ kind: 'openai', baseUrl: 'http://192.168.1.20:1234/v1', local: true })).toBe(false);
  expect(isOnLocalNetwork({ kind: 'openai', baseUrl: 'http://192.168.1.20:1234/v1', local: false })).toBe(false);
});

it("takes an Ollama's cloud models as cloud by their tag", () => {
  const here = ollama('http://127.0.0.1:11434');
  for (const model of ['gpt-oss:120b-cloud', 'glm-4.6:cloud', 'qwen3-coder:480b-CLOUD']) expect(isLocalDeployment({ model }, here), model).toBe(false);
  for (const model of ['llama3.2', 'cloudy:7b', 'mycloud:latest', 'qwen3:8b']) expect(isLocalDeployment({ model }, here), model).toBe(true);
});

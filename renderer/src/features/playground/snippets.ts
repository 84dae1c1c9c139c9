/**
 * The playground's request as code to run outside the dashboard: curl, or a script in Python or
 * Node.js with its API's official client (openai, anthropic, ollama) that prints the answer, as it
 * comes when the request streams (for embeddings: how many vectors, of what size). Each asks exactly what the playground sends, with a client key's
 * placeholder where keys are required (the clients insist on some key where they are not).
 */
import { curlCommand } from '../../ui/curl';
import type { EmbedApi } from './embed-wire';
import type { PlaygroundApi } from './wire';

type Api = PlaygroundApi | EmbedApi;

export type Language = 'curl' | 'Python' | 'Node.js';
export const LANGUAGES: readonly Language[] = ['curl', 'Python', 'Node.js'];

const PATHS: Record<Api, string> = { openai: '/v1/chat/completions', anthropic: '/v1/messages', responses: '/v1/responses', ollama: '/api/chat', embeddings: '/v1/embeddings', 'ollama-embed': '/api/embed' };
const PLACEHOLDER = '<your client key>';

export function snippetFor(language: Language, api: Api, body: Record<string, unknown>, origin: string, keyRequired: boolean): string {
  if (language === 'curl') return curlCommand(`${origin}${PATHS[api]}`, JSON.stringify(body), keyRequired);
  return language === 'Python' ? python(api, body, origin, keyRequired) : node(api, body, origin, keyRequired);
}

function python(api: Api, body: Record<string, unknown>, origin: string, keyRequired: boolean): string {
  const key = JSON.stringify(keyRequired ? PLACEHOLDER : 'switchyard');
  const kwargs = Object.entries(body).map(([name, value]) => `    ${name}=${pythonValue(value, '    ')},`).join('\n');
  const stream = body.stream === true;
  const [setup, call, streamed, whole] = {
    openai: [`from openai import OpenAI\n\nclient = OpenAI(base_url="${origin}/v1", api_key=${key})`, 'client.chat.completions.create', 'for chunk in answer:\n    if chunk.choices:\n        print(chunk.choices[0].delta.content or "", end="", flush=True)', 'print(answer.choices[0].message.content)'],
    anthropic: [`import anthropic\n\nclient = anthropic.Anthropic(base_url="${origin}", api_key=${key})`, 'client.messages.create', 'for event in answer:\n    if event.type == "content_block_delta" and event.delta.type == "text_delta":\n        print(event.delta.text, end="", flush=True)', 'print("".join(block.text for block in answer.content if block.type == "text"))'],
    responses: [`from openai import OpenAI\n\nclient = OpenAI(base_url="${origin}/v1", api_key=${key})`, 'client.responses.create', 'for event in answer:\n    if event.type == "response.output_text.delta":\n        print(event.delta, end="", flush=True)', 'print(answer.output_text)'],
    ollama: [`from ollama import Client\n\nclient = Client(host="${origin}"${keyRequired ? `, headers={"Authorization": "Bearer ${PLACEHOLDER}"}` : ''})`, 'client.chat', 'for part in answer:\n    print(part.message.content, end="", flush=True)', 'print(answer.message.content)'],
    embeddings: [`from openai import OpenAI\n\nclient = OpenAI(base_url="${origin}/v1", api_key=${key})`, 'client.embeddings.create', '', 'print(len(answer.data), "vectors of", len(answer.data[0].embedding), "numbers")'],
    'ollama-embed': [`from ollama import Client\n\nclient = Client(host="${origin}"${keyRequired ? `, headers={"Authorization": "Bearer ${PLACEHOLDER}"}` : ''})`, 'client.embed', '', 'print(len(answer.embeddings), "vectors of", len(answer.embeddings[0]), "numbers")'],
  }[api];
  return `${setup}\n\nanswer = ${call}(\n${kwargs}\n)\n\n${stream ? streamed : whole}\n`;
}

function node(api: Api, body: Record<string, unknown>, origin: string, keyRequired: boolean): string {
  const key = `'${keyRequired ? PLACEHOLDER : 'switchyard'}'`;
  const stream = body.stream === true;
  const [setup, call, streamed, whole] = {
    openai: [`import OpenAI from 'openai';\n\nconst client = new OpenAI({ baseURL: '${origin}/v1', apiKey: ${key} });`, 'client.chat.completions.create', "for await (const chunk of answer) process.stdout.write(chunk.choices[0]?.delta?.content ?? '');", 'console.log(answer.choices[0].message.content);'],
    anthropic: [`import Anthropic from '@anthropic-ai/sdk';\n\nconst client = new Anthropic({ baseURL: '${origin}', apiKey: ${key} });`, 'client.messages.create', "for await (const event of answer) {\n  if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') process.stdout.write(event.delta.text);\n}", "console.log(answer.content.filter((block) => block.type === 'text').map((block) => block.text).join(''));"],
    responses: [`import OpenAI from 'openai';\n\nconst client = new OpenAI({ baseURL: '${origin}/v1', apiKey: ${key} });`, 'client.responses.create', "for await (const event of answer) {\n  if (event.type === 'response.output_text.delta') process.stdout.write(event.delta);\n}", 'console.log(answer.output_text);'],
    ollama: [`import { Ollama } from 'ollama';\n\nconst client = new Ollama({ host: '${origin}'${keyRequired ? `, headers: { Authorization: 'Bearer ${PLACEHOLDER}' }` : ''} });`, 'client.chat', 'for await (const part of answer) process.stdout.write(part.message.content);', 'console.log(answer.message.content);'],
    embeddings: [`import OpenAI from 'openai';\n\nconst client = new OpenAI({ baseURL: '${origin}/v1', apiKey: ${key} });`, 'client.embeddings.create', '', 'console.log(answer.data.length, \'vectors of\', answer.data[0].embedding.length, \'numbers\');'],
    'ollama-embed': [`import { Ollama } from 'ollama';\n\nconst client = new Ollama({ host: '${origin}'${keyRequired ? `, headers: { Authorization: 'Bearer ${PLACEHOLDER}' }` : ''} });`, 'client.embed', '', 'console.log(answer.embeddings.length, \'vectors of\', answer.embeddings[0].length, \'numbers\');'],
  }[api];
  return `${setup}\n\nconst answer = await ${call}(${JSON.stringify(body, null, 2)});\n\n${stream ? streamed : whole}\n`;
}

/** A JSON value as a Python literal: JSON's string escapes are Python's too; true, false and null are not. */
function pythonValue(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' || typeof value === 'string') return JSON.stringify(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[\n${value.map((v) => `${inner}${pythonValue(v, inner)},`).join('\n')}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === 0 ? '{}' : `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pythonValue(v, inner)},`).join('\n')}\n${indent}}`;
}

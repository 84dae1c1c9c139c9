/**
 * Reasoning written between think tags at the start of an answer's text, taken out whole and as it
 * streams, wherever the chunks cut the text (a tag cut in two included), and nothing else taken:
 * a tag later in the text, a tag-like opening, text with none.
 */
import { describe, expect, it } from 'vitest';
import { createThinkSplitter, thinkingOutOfText } from '../../gateway/wire/think-tags';

function streamed(pieces: string[]): { reasoning: string; content: string } {
  const split = createThinkSplitter();
  const out = { reasoning: '', content: '' };
  pieces.forEach((piece, i) => {
    const part = split(piece, i === pieces.length - 1);
    out.reasoning += part.reasoning;
    out.content += part.content;
  });
  return out;
}

const text = '\n<think>\nLet me think.\n</think>\n\nThe answer, <think>quoted</think> as written.';
const expected = { reasoning: 'Let me think.\n', content: 'The answer, <think>quoted</think> as written.' };

describe('think tags', () => {
  it('are taken out of a whole answer', () => {
    expect(thinkingOutOfText(text)).toEqual(expected);
    expect(thinkingOutOfText('<think>cut while thinking')).toEqual({ reasoning: 'cut while thinking', content: '' });
  });

  it('are taken out of a stream cut anywhere, in two pieces or three', () => {
    for (let i = 0; i <= text.length; i++) {
      expect(streamed([text.slice(0, i), text.slice(i)]), `cut at ${i}`).toEqual(expected);
      for (let j = i; j <= text.length; j += 7) expect(streamed([text.slice(0, i), text.slice(i, j), text.slice(j)]), `cut at ${i}, ${j}`).toEqual(expected);
    }
    // Character by character.
    expect(streamed([...text])).toEqual(expected);
  });

  it('leave other text as it is, holding back only what may begin a tag', () => {
    for (const other of ['The answer.', '<b>bold</b>', '<thinking>not a tag of ours</thinking>', '  indented', 'Use <think> tags like this.']) {
      expect(thinkingOutOfText(other)).toBeUndefined();
      expect(streamed([...other]), other).toEqual({ reasoning: '', content: other });
    }
    const split = createThinkSplitter();
    expect(split('Hi', false)).toEqual({ reasoning: '', content: 'Hi' });
    expect(createThinkSplitter()('<thi', false)).toEqual({ reasoning: '', content: '' });
  });

  it('hold back no more than a short start, however a stream dribbles whitespace', () => {
    const split = createThinkSplitter();
    let released = '';
    for (let i = 0; i < 5_000; i++) released += split(' ', false).content;
    expect(released.length).toBeGreaterThan(3_900);
    expect(split('<think>late</think>', false)).toEqual({ reasoning: '', content: '<think>late</think>' });
  });

  it('end a stream cut while thinking with all of it as reasoning', () => {
    expect(streamed(['<think>still ', 'thinking </th'])).toEqual({ reasoning: 'still thinking </th', content: '' });
  });
});

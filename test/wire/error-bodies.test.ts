/** Upstream error answers read in each shape servers send them, from captured bodies. */
import { describe, expect, it } from 'vitest';
import { errorBodyOf } from '../../gateway/error-bodies';

describe("an upstream's error body", () => {
  it("is read from a server-sent event's data, as Alibaba DashScope's Anthropic API frames it (claude-code-router#1327)", () => {
    const text = 'event:error\ndata:{"code":"InvalidParameter","message":"<400> InternalError.Algo.InvalidParameter: Range of max_tokens should be [1, 8192]","request_id":"fc65a002-d8fe-9701-b810-40d2285b3700"}\n\n';
    expect(errorBodyOf(text, 400)).toMatchObject({ message: '<400> InternalError.Algo.InvalidParameter: Range of max_tokens should be [1, 8192]' });
  });

  it("is read from FastAPI's error list, in Mistral's wrapper and bare (mistralai_client_dart#44, gpustack#429)", () => {
    const mistral = '{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","messages",0,"user","name"],"msg":"Extra inputs are not permitted","input":null},{"type":"extra_forbidden","loc":["body","messages",0,"user","tool_calls"],"msg":"Extra inputs are not permitted","input":null}]},"type":"invalid_request_error","param":null,"code":null}';
    expect(errorBodyOf(mistral, 422)).toMatchObject({ message: 'messages.0.user.name: Extra inputs are not permitted\nmessages.0.user.tool_calls: Extra inputs are not permitted', type: 'invalid_request_error' });
    expect(errorBodyOf('{"detail":[{"type":"extra_forbidden","loc":["body","stream_options"],"msg":"Extra inputs are not permitted","input":{"include_usage":true}}]}', 400).message).toBe('stream_options: Extra inputs are not permitted');
    expect(errorBodyOf('{"detail":"Not Found"}', 404).message).toBe('Not Found');
  });

  it('is the text itself when it is neither JSON nor an event', () => {
    expect(errorBodyOf('upstream connect error or disconnect/reset before headers', 503).message).toBe('upstream connect error or disconnect/reset before headers');
    expect(errorBodyOf('data: not json at all', 502).message).toBe('data: not json at all');
    expect(errorBodyOf('', 500).message).toBe('HTTP 500');
  });
});

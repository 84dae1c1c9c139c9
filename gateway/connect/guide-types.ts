/** What a tool's guide says (the Connect page, `switchyard connect`), and what it is written from. */
import type { ToolId } from './editors';

export interface ToolGuide {
  id: string;
  name: string;
  /** The API the tool speaks to the gateway. */
  api: 'anthropic' | 'responses' | 'openai' | 'ollama';
  /** Set when `switchyard connect <id>` (and the desktop app's button) can write the tool's own config. */
  connect?: ToolId;
  /** Where that config lives, for people who edit it by hand. */
  configFile?: string;
  settings: { label: string; value: string }[];
  snippet?: { language: string; text: string };
  /** The names the usage log gives this tool's requests (http/client-tool.ts), where its headers tell it apart. */
  seenAs?: readonly string[];
}

export interface GuideContext {
  /** The gateway's root URL, e.g. http://127.0.0.1:7788. */
  url: string;
  /** The key tools should send: a real client key when keys are required, else any text. */
  key: string;
  keyRequired: boolean;
  model: string;
  models: readonly string[];
  /** The embedding model to suggest to tools that index (a route of embedding deployments first), if any. */
  embedModel?: string | undefined;
  /** The context window a tool should plan for with each of `models` (context-window.ts), where known. */
  windows?: ReadonlyMap<string, number> | undefined;
  /** Whether the config lets a web origin call the model APIs (`settings.allowedOrigins`). */
  allowsOrigin?: (origin: string) => boolean;
}

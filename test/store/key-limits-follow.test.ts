/**
 * A revision saved by any path (`switchyard import`, a restore, an edited file, the dashboard)
 * carries client keys limited to a name it renames: a real database file, as the CLI writes it
 * with or without a gateway running.
 */
import { afterEach, expect, it } from 'vitest';
import type { Config, RouteConfig } from '../../gateway/config/schema';
import { createClientKeyStore } from '../../gateway/store/client-keys';
import { createConfigStore } from '../../gateway/store/config-store';
import { openDatabase, type Db } from '../../gateway/store/db';
import { tempDir } from '../support/harness';

const opened: { db: Db; dir: { remove(): void } }[] = [];
afterEach(() => opened.splice(0).forEach(({ db, dir }) => (db.close(), dir.remove())));
function stores() {
  const dir = tempDir();
  const db = openDatabase(dir.path);
  opened.push({ db, dir });
  return { configs: createConfigStore(db), keys: createClientKeyStore(db) };
}

const config = (routes: RouteConfig[], deployments: [string, string][] = [['llama', 'llama3.2'], ['mini', 'gpt-4.1-mini']]): Config =>
  ({
    providers: [{ name: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' }],
    deployments: deployments.map(([name, model]) => ({ name, provider: 'local', model })),
    routes,
  }) as Config;
const route = (name: string, deployments = ['llama', 'mini'], extra: Partial<RouteConfig> = {}): RouteConfig => ({ name, deployments, ...extra }) as RouteConfig;
const limits = (keys: ReturnType<typeof stores>['keys']) => Object.fromEntries(keys.list().map((k) => [k.name, k.allowedRoutes]));

it('follows a route renamed with nothing else of it changed, and a deployment renamed for the same model on the same server', () => {
  const { configs, keys } = stores();
  configs.save(config([route('code'), route('chat', ['mini'])]), 'first start');
  keys.create('editor', { allowedRoutes: ['code', 'mini'] });
  keys.create('all');
  keys.create('chat-only', { allowedRoutes: ['chat'] });
  configs.save(config([route('coder', ['llama', 'cloud-mini']), route('chat', ['cloud-mini'])], [['llama', 'llama3.2'], ['cloud-mini', 'gpt-4.1-mini']]), 'import edited.json');
  expect(limits(keys)).toEqual({ editor: ['coder', 'cloud-mini'], all: null, 'chat-only': ['chat'] });
});

it('leaves a key as it was where the pairing is not certain: a route renamed and changed, two alike gone, a deployment given another model', () => {
  const { configs, keys } = stores();
  configs.save(config([route('code'), route('a', ['mini']), route('b', ['mini'])]), 'first start');
  keys.create('editor', { allowedRoutes: ['code', 'a', 'llama'] });
  configs.save(config([route('coder', ['llama', 'mini'], { strategy: 'lowest-latency' }), route('c', ['mini'])], [['local-llama', 'qwen3'], ['mini', 'gpt-4.1-mini']]), 'import other.json');
  expect(limits(keys)).toEqual({ editor: ['code', 'a', 'llama'] });
});

it('takes the renames the change\'s maker names over what it would find', () => {
  const { configs, keys } = stores();
  configs.save(config([route('code')]), 'first start');
  keys.create('editor', { allowedRoutes: ['code'] });
  configs.save(config([route('coder', ['mini'])]), 'admin api: PUT /admin/api/routes/code', new Map([['code', 'coder']]));
  expect(limits(keys)).toEqual({ editor: ['coder'] });
});

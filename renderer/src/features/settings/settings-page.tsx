/** Settings: where the gateway listens, local only, client keys, budgets, cache, usage retention and body logging, web origins, theme, config export, import and history. */
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { cacheMutations, cacheQueries } from '../../api/queries/cache';
import { settingsMutations, configQueries } from '../../api/queries/config';
import { keyMutations, keyQueries } from '../../api/queries/keys';
import type { Config, ConfigPreview, Settings, SettingsPatch } from '../../api/types';
import { Badge, Card, ConfirmButton, counted, Empty, ErrorNote, errorText, Field, Loading, size, useLiveError } from '../../ui/parts';
import { CopyButton } from '../../ui/copy-button';
import { ConfigHistory, PreviewList } from './config-history';
import { ThemeCard } from './theme-card';
import { BudgetsCard } from './budgets-card';
import { Notices } from './notices';
import { KeptKeys } from './kept-keys';
import { numberReader } from '../../ui/numbers';
import { StackedTable } from '../../ui/stacked-table';
import { useAtStake, useEdits, useUnsaved } from '../../ui/unsaved';

export function SettingsPage() {
  const settings = useQuery(configQueries.settings());
  if (settings.isPending) return <Loading what="settings" />;
  if (settings.isError) return <ErrorNote error={settings.error} />;
  const { server, data } = settings.data;
  return (
    <>
      <h1>Settings</h1>
      <p className="sub">Changes apply to traffic at once.</p>
      <div className="grid cols-2">
        <Card title="Server">
          <p>Listening on <code>{server.host}:{server.port}</code>.</p>
          {server.exposed ? <div className="notice warn">Reachable beyond this machine: client keys are required for every request.</div> : null}
          <p className="muted">To change the port or host, restart with <code>--port</code> / <code>--host</code> (or <code>SWITCHYARD_PORT</code>). Binding beyond loopback makes client keys mandatory.</p>
          <p data-testid="data-dir">Data: <code className="long-text">{data.dir}</code> ({size(data.bytes)}: config and its history, keys, usage, kept prompts).</p>
          <p className="muted">A copy while it runs: <code className="long-text">switchyard backup FILE --data-dir {data.argument}</code></p>
          <Notices to={server.notices} canStore={settings.data.secrets.canStore} />
        </Card>
        <LocalOnly on={settings.data.settings.localOnly === true} />
        <Keys />
        <KeptKeys unused={settings.data.secrets.unused} />
        <BudgetsCard />
        <UsageAndCache settings={settings.data.settings} exposed={settings.data.server.exposed} />
        <ConfigImport />
        <ConfigHistory />
        <ThemeCard />
      </div>
    </>
  );
}

function LocalOnly({ on }: { on: boolean }) {
  const client = useQueryClient();
  const toggle = useMutation(settingsMutations.localOnly(client));
  // The choice shows at once (a controlled box would snap back until the gateway answers), the saved state after.
  const [wanted, setWanted] = useState<boolean | null>(null);
  return (
    <Card title="Local only">
      <label className="row">
        <input
          type="checkbox"
          checked={wanted ?? on}
          disabled={toggle.isPending}
          onChange={(e) => {
            setWanted(e.target.checked);
            toggle.mutate(e.target.checked, { onSettled: () => setWanted(null) });
          }}
        />{' '}
        Send nothing to cloud providers
      </label>
      <p className="muted">While on, only Ollama and servers on this machine answer; a route with no local deployment left answers an error. Kept across restarts, and the same switch as the desktop app's tray.</p>
      {toggle.isError ? <ErrorNote error={toggle.error} /> : null}
    </Card>
  );
}

function Keys() {
  const client = useQueryClient();
  const keys = useQuery(keyQueries.all());
  const [name, setName] = useState('');
  const [rpm, setRpm] = useState('');
  // Shown only once: leaving the page before it is copied asks first.
  const [created, setCreated] = useState<{ name: string; key: string; copied: boolean } | null>(null);
  useAtStake('the created client key', `the new client key ${created?.name ?? ''} (shown only now)`, created !== null && !created.copied);
  const routes = useQuery(configQueries.routes());
  // Routes the new key may use; none ticked: every route and deployment.
  const [only, setOnly] = useState<string[]>([]);
  const create = useMutation(keyMutations.create(client));
  const revoke = useMutation(keyMutations.revoke(client));
  const [rpmTypo, setRpmTypo] = useState<string | undefined>();
  useUnsaved('the new client key', name !== '' || rpm !== '' || only.length > 0);
  const submit = () => {
    const { read, typos } = numberReader();
    const limit = read('rateLimitPerMinute', rpm);
    setRpmTypo(typos.rateLimitPerMinute);
    if (typos.rateLimitPerMinute) return;
    create.mutate(
      { name, ...(limit !== undefined ? { rateLimitPerMinute: limit } : {}), ...(only.length > 0 ? { allowedRoutes: only } : {}) },
      {
        onSuccess: (result) => {
          setCreated({ name, key: result.key, copied: false });
          setName('');
          setRpm('');
          setOnly([]);
        },
      },
    );
  };
  const fields = create.error instanceof ApiError ? create.error.fields : {};
  const createError = useLiveError(create.error);
  return (
    <Card title="Client keys">
      <p className="muted">Give each tool its own key to see its usage apart. By default any key is accepted on this machine.</p>
      {created ? (
        <div className="notice ok" role="status">
          New key (shown only now): <code data-testid="new-key">{created.key}</code> <CopyButton text={created.key} onCopied={() => setCreated({ ...created, copied: true })}>Copy</CopyButton>
        </div>
      ) : null}
      {/* The routes come before the button: a key is made with its limits, not limited after. */}
      <form onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <div className="row" style={{ alignItems: 'flex-end' }}>
          <Field label="Name" error={fields.name ?? (createError && !fields.rateLimitPerMinute ? errorText(createError) : undefined)}><input value={name} onChange={(e) => setName(e.target.value)} placeholder="my-editor" aria-label="Key name" /></Field>
          <Field label="Requests/min (optional)" error={rpmTypo ?? fields.rateLimitPerMinute}><input value={rpm} onChange={(e) => setRpm(e.target.value)} inputMode="numeric" size={6} aria-label="Requests per minute" /></Field>
        </div>
        {routes.data?.length ? (
          <fieldset className="row" aria-label="Routes the new key may use">
            <span className="muted">Only these routes (none ticked: every route):</span>
            {routes.data.map((r) => (
              <label key={r.name} className="row">
                <input type="checkbox" checked={only.includes(r.name)} onChange={(e) => setOnly(e.target.checked ? [...only, r.name] : only.filter((n) => n !== r.name))} /> {r.name}
              </label>
            ))}
          </fieldset>
        ) : null}
        <button className="primary" type="submit" disabled={!name} style={{ marginBottom: 10 }}>Create key</button>
      </form>
      {keys.isError ? <ErrorNote error={keys.error} /> : null}
      {keys.data?.length === 0 ? <Empty>No keys yet.</Empty> : null}
      <StackedTable>
        <tbody>
          {keys.data?.map((k) => (
            <tr key={k.name}>
              <td><strong>{k.name}</strong> <span className="mono muted nowrap">{k.prefix}...</span></td>
              <td>{k.revokedAt ? <Badge tone="bad">revoked</Badge> : <Badge tone="ok">active</Badge>} {k.rateLimitPerMinute ? <span className="muted">{k.rateLimitPerMinute}/min</span> : null}</td>
              <td>
                {k.allowedRoutes ? <span>{k.allowedRoutes.filter((r) => !k.unknownRoutes.includes(r)).join(', ')}</span> : <span className="muted">every route</span>}
                {k.unknownRoutes.map((r) => (
                  <span key={r} title={`No route, deployment or alias is named "${r}" now: requests for it with this key are refused.`}> <Badge tone="warn">{r}: not in the config</Badge></span>
                ))}
              </td>
              <td style={{ textAlign: 'right' }}>{k.revokedAt ? null : <ConfirmButton label={`Revoke ${k.name}`} confirm={`Revoke ${k.name}?`} onConfirm={() => revoke.mutate(k.name)}>Revoke</ConfirmButton>}</td>
            </tr>
          ))}
        </tbody>
      </StackedTable>
    </Card>
  );
}

function UsageAndCache({ settings, exposed }: { settings: Settings; exposed: boolean }) {
  const client = useQueryClient();
  const stats = useQuery(cacheQueries.stats());
  const [draft, setDraft] = useState({
    cacheEnabled: settings.cache?.enabled !== false,
    ttlSeconds: String(settings.cache?.ttlSeconds ?? 86400),
    maxMiB: String(settings.cache?.maxMiB ?? 256),
    retentionDays: String(settings.usage?.retentionDays ?? 90),
    logBodies: settings.usage?.logBodies === true,
    bodyRetentionDays: String(settings.usage?.bodyRetentionDays ?? 7),
    responsesDays: String(settings.responses?.retentionDays ?? 30),
    compareLabel: settings.usage?.compareWith?.label ?? '',
    compareInput: String(settings.usage?.compareWith?.inputPerMTok ?? ''),
    compareOutput: String(settings.usage?.compareWith?.outputPerMTok ?? ''),
    keysRequired: settings.clientKeys?.required === true,
    allowedOrigins: (settings.allowedOrigins ?? []).join('\n'),
  });
  const save = useMutation(settingsMutations.save(client));
  const purge = useMutation(cacheMutations.purge(client));
  const [typos, setTypos] = useState<Record<string, string>>({});
  const saved = useEdits('the cache, usage and access settings', draft);
  // Only what this card shows: local only, set from the tray meanwhile, stays as it is. A number
  // left empty goes back to its default; one that is no number is named, and nothing is sent.
  const submit = () => {
    const { read, typos: found, ok } = numberReader();
    const number = (path: string, text: string) => read(`settings.${path}`, text) ?? null;
    const compareWith = draft.compareLabel.trim()
      ? { label: draft.compareLabel.trim(), inputPerMTok: number('usage.compareWith.inputPerMTok', draft.compareInput), outputPerMTok: number('usage.compareWith.outputPerMTok', draft.compareOutput) }
      : null;
    const origins = draft.allowedOrigins.split('\n').map((line) => line.trim()).filter(Boolean);
    const edited: SettingsPatch = {
      cache: { enabled: draft.cacheEnabled, ttlSeconds: number('cache.ttlSeconds', draft.ttlSeconds), maxMiB: number('cache.maxMiB', draft.maxMiB) },
      usage: { retentionDays: number('usage.retentionDays', draft.retentionDays), logBodies: draft.logBodies, compareWith, ...(draft.logBodies ? { bodyRetentionDays: number('usage.bodyRetentionDays', draft.bodyRetentionDays) } : {}) },
      responses: { retentionDays: number('responses.retentionDays', draft.responsesDays) },
      clientKeys: { required: draft.keysRequired },
      allowedOrigins: origins.length > 0 ? origins : null,
    };
    setTypos(found);
    const sent = draft;
    if (ok()) save.mutate(edited, { onSuccess: () => saved(sent) });
  };
  const fields = { ...(save.error instanceof ApiError ? save.error.fields : {}), ...typos };
  // One line's problem at a time, the first; the message quotes the line.
  const originProblem = Object.entries(fields).find(([path]) => path.startsWith('settings.allowedOrigins'))?.[1];
  return (
    <Card title="Cache, usage and access">
      <form onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <label className="row"><input type="checkbox" checked={draft.cacheEnabled} onChange={(e) => setDraft({ ...draft, cacheEnabled: e.target.checked })} /> Answer repeated temperature-0 requests from the cache</label>
        <div className="form-grid" style={{ marginTop: 8 }}>
          <Field label="Cache TTL (seconds)" error={fields['settings.cache.ttlSeconds']}><input value={draft.ttlSeconds} onChange={(e) => setDraft({ ...draft, ttlSeconds: e.target.value })} inputMode="numeric" /></Field>
          <Field label="Cache size (MiB)" error={fields['settings.cache.maxMiB']}><input value={draft.maxMiB} onChange={(e) => setDraft({ ...draft, maxMiB: e.target.value })} inputMode="numeric" /></Field>
          <Field label="Keep usage (days)" error={fields['settings.usage.retentionDays']}><input value={draft.retentionDays} onChange={(e) => setDraft({ ...draft, retentionDays: e.target.value })} inputMode="numeric" /></Field>
          <Field label="Keep Responses answers for previous_response_id (days)" error={fields['settings.responses.retentionDays']}><input value={draft.responsesDays} onChange={(e) => setDraft({ ...draft, responsesDays: e.target.value })} inputMode="numeric" /></Field>
        </div>
        <label className="row"><input type="checkbox" checked={draft.logBodies} onChange={(e) => setDraft({ ...draft, logBodies: e.target.checked })} /> <span>Store prompts and answers in the usage log <span className="muted">(each request's drawer on the Usage page shows them)</span></span></label>
        <div className="form-grid" style={{ marginTop: 8 }}>
          <Field label="Price local answers as (a cloud model)" error={fields['settings.usage.compareWith.label']}><input value={draft.compareLabel} onChange={(e) => setDraft({ ...draft, compareLabel: e.target.value })} placeholder="gpt-4.1-mini (default)" /></Field>
          <Field label="Its input price ($ per million tokens)" error={fields['settings.usage.compareWith.inputPerMTok'] ?? fields['settings.usage.compareWith']}><input value={draft.compareInput} onChange={(e) => setDraft({ ...draft, compareInput: e.target.value })} inputMode="decimal" /></Field>
          <Field label="Its output price ($ per million tokens)" error={fields['settings.usage.compareWith.outputPerMTok']}><input value={draft.compareOutput} onChange={(e) => setDraft({ ...draft, compareOutput: e.target.value })} inputMode="decimal" /></Field>
        </div>
        {draft.logBodies ? (
          <div className="form-grid" style={{ marginTop: 8 }}>
            <Field label="Keep prompts and answers (days)" error={fields['settings.usage.bodyRetentionDays']}><input value={draft.bodyRetentionDays} onChange={(e) => setDraft({ ...draft, bodyRetentionDays: e.target.value })} inputMode="numeric" /></Field>
          </div>
        ) : null}
        <div style={{ marginTop: 10 }}>
          <Field label="Web origins that may call the model APIs (one per line)" error={originProblem}>
            <textarea rows={3} className="mono" value={draft.allowedOrigins} onChange={(e) => setDraft({ ...draft, allowedOrigins: e.target.value })} placeholder={'app://obsidian.md\nhttp://localhost:*'} aria-describedby="origins-help" />
          </Field>
        </div>
        <p id="origins-help" className="muted">For web pages and apps' web views (an Obsidian plugin, a web UI on another port, a browser extension's <code>chrome-extension://*</code>); <code>*</code> stands for a host, its subdomains or a port. The dashboard stays this window's alone.</p>
        <label className="row" style={{ marginTop: 6 }}><input type="checkbox" checked={draft.keysRequired || exposed} disabled={exposed} onChange={(e) => setDraft({ ...draft, keysRequired: e.target.checked })} /> Require a client key for every request{exposed ? ' (always, while it listens beyond this machine)' : ''}</label>
        {save.isError ? <div style={{ marginTop: 8 }}><ErrorNote error={save.error} /></div> : null}
        <div className="row" style={{ marginTop: 10 }}>
          <button className="primary" type="submit" disabled={save.isPending}>Save</button>
          {Object.keys(typos).length > 0 ? <span className="field-error" role="alert">Fix the highlighted fields: nothing was saved.</span> : save.isSuccess ? <span className="muted">Saved</span> : null}
        </div>
      </form>
      <div className="spread" style={{ marginTop: 14 }}>
        <span className="muted">{stats.data ? `${counted(stats.data.entries, 'cached answer')}, ${size(stats.data.bytes)} of ${size(stats.data.maxBytes)}, ${counted(stats.data.hits, 'hit')}` : 'Cache...'}</span>
        <ConfirmButton confirm="Purge every cached answer?" onConfirm={() => purge.mutate()}>Purge cache</ConfirmButton>
      </div>
    </Card>
  );
}

function ConfigImport() {
  const client = useQueryClient();
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<ConfigPreview | null>(null);
  useUnsaved('the config pasted to import', text.trim() !== '');
  // A file edited by hand may have comments and a comma after the last item, as `switchyard import`
  // takes them (the JSON sent on is a plain copy); otherwise the browser's own words for where it
  // stops being JSON ("... (line 4 column 1)").
  const reading = (): { config: Config; problem?: undefined } | { config?: undefined; problem: string } => {
    try {
      return { config: JSON.parse(text) as Config };
    } catch (error) {
      const errors: ParseError[] = [];
      const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
      return errors.length === 0 && typeof value === 'object' && value !== null ? { config: value as Config } : { problem: (error as Error).message };
    }
  };
  const parsed = () => reading().config;
  const check = useMutation(settingsMutations.previewImport());
  const apply = useMutation(settingsMutations.importConfig(client));
  const applied = () => {
    setPreview(null);
    setText('');
  };
  return (
    <Card title="Export and import" actions={<a className="button" href="/admin/api/config" download="switchyard-config.json">Export config</a>}>
      <Field label="Paste a config to import" error={text && !parsed() ? `This is not valid JSON: ${reading().problem}` : undefined}>
        <textarea rows={5} value={text} onChange={(e) => { setText(e.target.value); setPreview(null); }} className="mono" />
      </Field>
      <div className="row">
        <button onClick={() => check.mutate(parsed(), { onSuccess: setPreview })} disabled={!parsed()}>Preview changes</button>
        <button className="primary" onClick={() => apply.mutate(parsed(), { onSuccess: applied })} disabled={!preview?.valid || apply.isPending}>Apply</button>
      </div>
      {preview ? <PreviewList preview={preview} /> : null}
      {check.isError ? <ErrorNote error={check.error} /> : null}
      {apply.isError ? <ErrorNote error={apply.error} /> : null}
    </Card>
  );
}

/**
 * Budgets: what all traffic, a route, a client key, a provider or a tool may spend per day, week or month,
 * and what happens past it. Each with its spend so far; added, edited and deleted here (an edit
 * keeps what the form does not show, such as a budget's own time zone).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { budgetMutations, configQueries } from '../../api/queries/config';
import { healthQueries } from '../../api/queries/health';
import { keyQueries } from '../../api/queries/keys';
import { connectQueries } from '../../api/queries/connect';
import { usageQueries } from '../../api/queries/usage';
import type { BudgetConfig } from '../../api/types';
import { Card, ConfirmButton, Empty, ErrorNote, Field, Loading, money } from '../../ui/parts';
import { StackedTable } from '../../ui/stacked-table';
import { useEdits, useOpenForm } from '../../ui/unsaved';

type ScopeKind = 'global' | 'route' | 'clientKey' | 'provider' | 'tool';
const SCOPE_LABELS: Record<ScopeKind, string> = { global: 'all traffic', route: 'one route', clientKey: 'one client key', provider: 'one provider', tool: 'one tool' };
const QUARTER_MS = 90 * 86_400_000;

interface Draft {
  name: string;
  limitUsd: string;
  period: BudgetConfig['period'];
  scopeKind: ScopeKind;
  scopeName: string;
  onExceeded: NonNullable<BudgetConfig['onExceeded']>;
  timeZone: string;
}

function draftOf(budget: BudgetConfig | undefined): Draft {
  const scope = budget?.scope ?? 'global';
  const [scopeKind, scopeName] = scope === 'global' ? (['global', ''] as const) : 'route' in scope ? (['route', scope.route] as const) : 'clientKey' in scope ? (['clientKey', scope.clientKey] as const) : 'tool' in scope ? (['tool', scope.tool] as const) : (['provider', scope.provider] as const);
  return { name: budget?.name ?? '', limitUsd: budget ? String(budget.limitUsd) : '', period: budget?.period ?? 'month', scopeKind, scopeName, onExceeded: budget?.onExceeded ?? 'skip-paid', timeZone: budget?.timeZone ?? '' };
}

function scopeText(scope: BudgetConfig['scope']): string {
  if (scope === 'global') return 'all traffic';
  if ('route' in scope) return `route ${scope.route}`;
  if ('clientKey' in scope) return `key ${scope.clientKey}`;
  if ('tool' in scope) return `tool ${scope.tool}`;
  return `provider ${scope.provider}`;
}

function whenSpent(budget: BudgetConfig): string {
  if (budget.scope !== 'global' && 'provider' in budget.scope) return 'then its paid deployments are skipped';
  return budget.onExceeded === 'refuse' ? 'then refuse (429)' : 'then local and free only';
}

export function BudgetsCard() {
  const budgets = useQuery(configQueries.budgets());
  const health = useQuery(healthQueries.now());
  const [editing, setEditing] = useOpenForm<BudgetConfig | 'new'>((b) => budgetLabel(b === 'new' ? undefined : b));
  const client = useQueryClient();
  const remove = useMutation(budgetMutations.remove(client));
  if (budgets.isPending) return <Card title="Budgets"><Loading what="budgets" /></Card>;
  if (budgets.isError) return <Card title="Budgets"><ErrorNote error={budgets.error} /></Card>;
  const spent = new Map((health.data?.budgets ?? []).map((b) => [b.name, b]));
  return (
    <Card title="Budgets" actions={editing ? null : <button onClick={() => setEditing('new')}>Add budget</button>}>
      <p className="muted">What may be spent per day, week or month. Past it, paid deployments are skipped (local and free ones keep answering), or every request is refused.</p>
      {budgets.data.length === 0 && !editing ? <Empty>No budgets: spending is not limited.</Empty> : null}
      <StackedTable>
        <tbody>
          {budgets.data.map((b) => (
            <tr key={b.name} data-testid={`budget-${b.name}`}>
              <td><strong>{b.name}</strong> <span className="muted">{scopeText(b.scope)}, per {b.period}{b.timeZone ? ` (${b.timeZone})` : ''}</span></td>
              <td>{money(spent.get(b.name)?.spentUsd ?? 0)} of {money(b.limitUsd)}</td>
              <td className="muted">{whenSpent(b)}</td>
              {/* A cell stays a table cell (its border lines up with the row's); the buttons sit in a box inside it. */}
              <td>
                <div className="row-actions">
                  <button onClick={() => setEditing(b)} aria-label={`Edit budget ${b.name}`}>Edit</button>
                  <ConfirmButton confirm={`Delete budget ${b.name}?`} label={`Delete budget ${b.name}`} onConfirm={() => remove.mutate(b.name)}>Delete</ConfirmButton>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </StackedTable>
      {remove.isError ? <ErrorNote error={remove.error} /> : null}
      {editing ? <BudgetForm key={editing === 'new' ? '(new)' : editing.name} original={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} /> : null}
    </Card>
  );
}

const budgetLabel = (budget: BudgetConfig | undefined) => (budget ? `budget ${budget.name}` : 'the new budget');

function BudgetForm({ original, onDone }: { original: BudgetConfig | undefined; onDone: () => void }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft>(draftOf(original));
  useEdits(budgetLabel(original), draft);
  const save = useMutation(budgetMutations.save(client, original ?? null));
  const routes = useQuery(configQueries.routes());
  const providers = useQuery(configQueries.providers());
  const keys = useQuery(keyQueries.all());
  // The tools the gateway knows by name (the Connect page's), then any other the log has requests from lately.
  const guides = useQuery(connectQueries.guides(''));
  const [since] = useState(() => String(Date.now() - QUARTER_MS));
  const logged = useQuery(usageQueries.names(since));
  const names: Record<Exclude<ScopeKind, 'global'>, string[]> = {
    route: routes.data?.map((r) => r.name) ?? [],
    provider: providers.data?.map((p) => p.name) ?? [],
    clientKey: ['anonymous', ...(keys.data?.filter((k) => !k.revokedAt).map((k) => k.name) ?? [])],
    tool: [...new Set([...(guides.data?.tools.flatMap((t) => t.seenAs ?? []) ?? []), ...(logged.data?.tools ?? [])])],
  };
  const fields = save.error instanceof ApiError ? save.error.fields : {};
  const scope = (): BudgetConfig['scope'] => {
    if (draft.scopeKind === 'global') return 'global';
    if (draft.scopeKind === 'route') return { route: draft.scopeName };
    if (draft.scopeKind === 'clientKey') return { clientKey: draft.scopeName };
    if (draft.scopeKind === 'tool') return { tool: draft.scopeName };
    return { provider: draft.scopeName };
  };
  const [limitError, setLimitError] = useState<string | undefined>();
  const submit = () => {
    const limit = Number(draft.limitUsd.trim());
    if (draft.limitUsd.trim() === '' || !Number.isFinite(limit)) return setLimitError('Give the limit in US dollars, for example 20');
    setLimitError(undefined);
    save.mutate({ ...original, name: draft.name.trim(), limitUsd: limit, period: draft.period, scope: scope(), onExceeded: draft.scopeKind === 'provider' ? 'skip-paid' : draft.onExceeded, timeZone: draft.timeZone.trim() || undefined }, { onSuccess: onDone });
  };
  const scopeError = fields.scope ?? fields['scope.route'] ?? fields['scope.clientKey'] ?? fields['scope.provider'] ?? fields['scope.tool'];
  return (
    <form className="card" style={{ marginTop: 10 }} data-testid="budget-form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <div className="form-grid">
        <Field label="Name" error={fields.name}><input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} placeholder="monthly" /></Field>
        <Field label="Limit (USD)" error={limitError ?? fields.limitUsd}><input value={draft.limitUsd} onChange={(e) => setDraft({ ...draft, limitUsd: e.target.value })} inputMode="decimal" placeholder="20" /></Field>
        <Field label="Per" error={fields.period}>
          <select value={draft.period} onChange={(e) => setDraft({ ...draft, period: e.target.value as Draft['period'] })}>
            <option value="day">day</option>
            <option value="week">week (from Monday)</option>
            <option value="month">month</option>
          </select>
        </Field>
        <Field label="Counts" error={scopeError}>
          <select value={draft.scopeKind} onChange={(e) => setDraft({ ...draft, scopeKind: e.target.value as ScopeKind, scopeName: e.target.value === 'global' ? '' : (names[e.target.value as Exclude<ScopeKind, 'global'>][0] ?? '') })}>
            {(Object.keys(SCOPE_LABELS) as ScopeKind[]).map((kind) => <option key={kind} value={kind}>{SCOPE_LABELS[kind]}</option>)}
          </select>
        </Field>
        {draft.scopeKind === 'global' ? null : (
          <Field label={SCOPE_LABELS[draft.scopeKind].replace('one ', '').replace(/^./, (c) => c.toUpperCase())}>
            <select value={draft.scopeName} onChange={(e) => setDraft({ ...draft, scopeName: e.target.value })}>
              {[...new Set([draft.scopeName, ...names[draft.scopeKind]].filter(Boolean))].map((name) => <option key={name} value={name}>{name}</option>)}
            </select>
          </Field>
        )}
        <Field label="Periods start at midnight in (empty: the gateway's zone)" error={fields.timeZone}><input value={draft.timeZone} onChange={(e) => setDraft({ ...draft, timeZone: e.target.value })} placeholder="Europe/Paris" aria-label="Zone the periods start in" /></Field>
        {/* A provider's budget keeps requests off its paid deployments; only the other scopes can refuse. */}
        <Field label="When spent" error={fields.onExceeded}>
          <select value={draft.scopeKind === 'provider' ? 'skip-paid' : draft.onExceeded} disabled={draft.scopeKind === 'provider'} onChange={(e) => setDraft({ ...draft, onExceeded: e.target.value as Draft['onExceeded'] })}>
            <option value="skip-paid">skip paid deployments (local and free keep answering)</option>
            <option value="refuse">refuse every request (429)</option>
          </select>
        </Field>
      </div>
      {save.isError && Object.keys(fields).length === 0 ? <ErrorNote error={save.error} /> : null}
      <div className="row" style={{ marginTop: 10 }}>
        <button className="primary" type="submit" disabled={save.isPending}>{original ? 'Save budget' : 'Add'}</button>
        <button type="button" onClick={onDone}>Cancel</button>
      </div>
    </form>
  );
}

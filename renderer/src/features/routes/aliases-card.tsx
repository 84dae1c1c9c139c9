/**
 * Aliases: other names a tool may send as its model, each standing for a route or deployment. A `*`
 * matches any run of characters, so `claude-*` answers every Claude model name Claude Code asks for.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { aliasMutations, configQueries } from '../../api/queries/config';
import { Card, ConfirmButton, Empty, ErrorNote, Field, Loading } from '../../ui/parts';
import { StackedTable } from '../../ui/stacked-table';
import { useUnsaved } from '../../ui/unsaved';

export function AliasesCard({ targets }: { targets: string[] }) {
  const client = useQueryClient();
  const aliases = useQuery(configQueries.aliases());
  const set = useMutation(aliasMutations.set(client));
  const remove = useMutation(aliasMutations.remove(client));
  const [alias, setAlias] = useState('');
  const [target, setTarget] = useState('');
  useUnsaved('the new alias', alias.trim() !== '');
  if (aliases.isPending) return <Card title="Aliases"><Loading what="aliases" /></Card>;
  if (aliases.isError) return <Card title="Aliases"><ErrorNote error={aliases.error} /></Card>;
  const chosen = target || targets[0] || '';
  return (
    <Card title="Aliases">
      <p className="muted">Other model names tools send, each for a route or deployment. <code>*</code> matches anything: <code>claude-*</code> takes every Claude model Claude Code asks for. Exact names win, then patterns in this order.</p>
      {aliases.data.length === 0 ? <Empty>No aliases.</Empty> : null}
      <StackedTable>
        <tbody>
          {aliases.data.map((a) => (
            <tr key={a.alias} data-testid={`alias-${a.alias}`}>
              <td><code>{a.alias}</code></td>
              <td className="muted">→ {a.target}</td>
              <td style={{ textAlign: 'right' }}><ConfirmButton confirm={`Delete alias ${a.alias}?`} label={`Delete alias ${a.alias}`} onConfirm={() => remove.mutate(a.alias)}>Delete</ConfirmButton></td>
            </tr>
          ))}
        </tbody>
      </StackedTable>
      <form onSubmit={(e) => { e.preventDefault(); set.mutate({ alias: alias.trim(), target: chosen }, { onSuccess: () => setAlias('') }); }}>
        <div className="form-grid" style={{ marginTop: 10 }}>
          <Field label="Alias"><input value={alias} onChange={(e) => setAlias(e.target.value)} placeholder="claude-*" /></Field>
          <Field label="Stands for">
            <select value={chosen} onChange={(e) => setTarget(e.target.value)}>
              {targets.map((name) => <option key={name} value={name}>{name}</option>)}
            </select>
          </Field>
        </div>
        {set.isError ? <ErrorNote error={set.error} /> : null}
        {remove.isError ? <ErrorNote error={remove.error} /> : null}
        <button className="primary" type="submit" style={{ marginTop: 8 }} disabled={!alias.trim() || !chosen || set.isPending}>
          Add alias
        </button>
      </form>
    </Card>
  );
}

/** What a delete's confirmation says of the aliases that go with a route or deployment (nothing when it has none). */
export function aliasesGoing(aliases: readonly string[]): string {
  if (aliases.length === 0) return '';
  return aliases.length > 1 ? `Its aliases ${aliases.join(', ')} go with it.` : `Its alias ${aliases[0]} goes with it.`;
}

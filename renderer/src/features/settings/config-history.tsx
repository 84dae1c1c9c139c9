/** Every applied config, newest first: what changed it, what restoring one would change, and restore. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { configQueries, settingsMutations } from '../../api/queries/config';
import type { ConfigPreview } from '../../api/types';
import { Breakable, Card, ConfirmButton, ErrorNote, Loading } from '../../ui/parts';
import { StackedTable } from '../../ui/stacked-table';

export function ConfigHistory() {
  const client = useQueryClient();
  const revisions = useQuery(configQueries.revisions());
  const check = useMutation(settingsMutations.previewRevision(client));
  const restore = useMutation(settingsMutations.restore(client));
  const preview = check.data;
  if (revisions.isPending) return <Loading what="config history" />;
  if (revisions.isError) return <ErrorNote error={revisions.error} />;
  return (
    <Card title="Config history">
      <p className="muted">Every change is kept (the newest thousand). Restoring one applies it again as a new change, checked like an import.</p>
      <StackedTable>
        <tbody>
          {revisions.data.map((r, i) => (
            <tr key={r.id}>
              <td className="mono">{r.id}</td>
              {/* The source under its time: a column of its own was squeezed to a letter per line beside the buttons. */}
              <td>
                {new Date(r.createdAt).toLocaleString()}
                <div className="muted"><Breakable text={r.source} /></div>
              </td>
              <td style={{ textAlign: 'right' }}>
                {i === 0 ? (
                  <span className="muted">in force</span>
                ) : (
                  <span className="row" style={{ justifyContent: 'flex-end', flexWrap: 'nowrap' }}>
                    <button onClick={() => check.mutate(r.id)} aria-label={`What restoring ${r.id} changes`}>Changes</button>
                    <ConfirmButton label={`Restore ${r.id}`} confirm={`Restore ${r.id}?`} onConfirm={() => restore.mutate(r.id, { onSuccess: () => check.reset() })}>
                      Restore
                    </ConfirmButton>
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </StackedTable>
      {preview ? (
        <div role="status">
          <strong>Restoring {preview.id}:</strong>
          <PreviewList preview={preview.result} />
        </div>
      ) : null}
      {check.isError ? <ErrorNote error={check.error} /> : null}
      {restore.isError ? <ErrorNote error={restore.error} /> : null}
    </Card>
  );
}

/** What applying a config would change and what in it is taken but doubtful (its warnings), or why it cannot be applied. */
export function PreviewList({ preview }: { preview: ConfigPreview }) {
  if (!preview.valid) return <ul className="field-error">{preview.errors.map((e) => <li key={e.path}>{e.path}: {e.message}</li>)}</ul>;
  return (
    <>
      <ul>{preview.changes.length ? preview.changes.map((c) => <li key={`${c.change}${c.kind}${c.name}`}>{c.change} {c.kind} <strong>{c.name}</strong>{c.from === undefined ? null : ` (was ${c.from})`}</li>) : <li>No changes</li>}</ul>
      {preview.warnings.length > 0 ? (
        <div className="notice warn" role="status" aria-label="Warnings">
          Taken, but worth a look:
          <ul>{preview.warnings.map((w) => <li key={`${w.path}${w.message}`}>{w.path}: {w.message}</li>)}</ul>
        </div>
      ) : null}
    </>
  );
}

/**
 * The Usage page's sessions: each session in the range (Claude Code's, Codex's, or any client's
 * `x-switchyard-session`) added up, what answered it and what it cost. Choosing one shows its
 * requests below.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { usageMutations, usageQueries, type UsageParams } from '../../api/queries/usage';
import type { UsageSession } from '../../api/types';
import { Badge, Card, counted, Empty, ErrorNote, Loading, Moment, money, opener, tokenCount } from '../../ui/parts';
import { StackedTable } from '../../ui/stacked-table';

export function SessionsCard({ params, onChoose }: { params: UsageParams; onChoose: (session: UsageSession) => void }) {
  const sessions = useQuery({ ...usageQueries.sessions({ ...params, limit: '20' }), placeholderData: keepPreviousData });
  return (
    <Card title="Sessions">
      {sessions.isPending ? <Loading what="sessions" /> : null}
      {sessions.isError ? <ErrorNote error={sessions.error} /> : null}
      {sessions.data && sessions.data.sessions.length === 0 ? (
        <Empty>No sessions in this range. Claude Code and Codex name theirs; any other client can send an x-switchyard-session header.</Empty>
      ) : null}
      {sessions.data && sessions.data.sessions.length > 0 ? (
        <StackedTable data-testid="sessions-table">
          <thead>
            <tr><th>Last active</th><th>Session</th><th>Tool</th><th>Key</th><th>Requests</th><th>Answered by</th><th>Tokens</th><th>Cost</th><th>Saved</th></tr>
          </thead>
          <tbody>
            {sessions.data.sessions.map((s) => (
              <tr key={`${s.clientKey}/${s.session}`} {...opener(`Requests of session ${s.session}`, () => onChoose(s))}>
                <td data-label="Last active"><Moment at={s.lastAt} /></td>
                <td data-label="Session"><span className="clip" title={s.session}>{s.session}</span></td>
                <td data-label="Tool">{s.tool ?? '-'}</td>
                <td data-label="Key">{s.clientKey}</td>
                <td data-label="Requests">{s.requests.toLocaleString('en-US')} {s.errors ? <Badge tone="bad">{s.errors} failed</Badge> : null} {s.fallbacks ? <Badge tone="warn">{s.fallbacks} fell back</Badge> : null}</td>
                <td data-label="Answered by">{s.deployments.join(', ') || '-'}</td>
                <td data-label="Tokens">{tokenCount(s.inputTokens)} / {tokenCount(s.outputTokens)}</td>
                <td data-label="Cost">{money(s.cost)}</td>
                <td data-label="Saved">{money(s.saved)}</td>
              </tr>
            ))}
          </tbody>
        </StackedTable>
      ) : null}
    </Card>
  );
}

/** The chosen session in one line: its requests, cost and what answered it, over the range. */
export function SessionTotals({ params }: { params: UsageParams }) {
  const sessions = useQuery(usageQueries.sessions({ ...params, limit: '1' }));
  const s = sessions.data?.sessions[0];
  if (sessions.isError) return <ErrorNote error={sessions.error} />;
  if (!s) return null;
  return (
    <span className="muted" data-testid="session-totals">
      {counted(s.requests, 'request')} · {tokenCount(s.inputTokens)} / {tokenCount(s.outputTokens)} tokens · cost {money(s.cost)} · saved {money(s.saved)} · answered by {s.deployments.join(', ') || '-'}
    </span>
  );
}

/**
 * Where a route that keeps its sessions sends this one next (it stays where it was answered, even on
 * the cloud after a fallback), and a button to let it go so its next request follows the order again.
 */
export function SessionKept({ session, clientKey }: { session: string; clientKey: string }) {
  const ref = { session, clientKey };
  const kept = useQuery(usageQueries.kept(ref));
  const release = useMutation(usageMutations.release(useQueryClient()));
  if (kept.isError) return <ErrorNote error={kept.error} />;
  if (!kept.data || kept.data.kept.length === 0) return release.isSuccess ? <div className="muted">Its next request follows each route's order.</div> : null;
  return (
    <div className="row" data-testid="session-kept">
      <span className="muted">Kept on {kept.data.kept.map((k) => `${k.deployment} (route ${k.route})`).join(', ')}: its next request goes there first.</span>
      <button onClick={() => release.mutate(ref)} disabled={release.isPending}>Follow the route's order again</button>
      {release.isError ? <ErrorNote error={release.error} /> : null}
    </div>
  );
}

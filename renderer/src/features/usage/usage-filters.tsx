/** The Usage page's filters: a time range, then a name for each dimension the log keeps. */
import { useQuery } from '@tanstack/react-query';
import { configQueries } from '../../api/queries/config';
import { keyQueries } from '../../api/queries/keys';
import { usageQueries, type UsageParams } from '../../api/queries/usage';
import { Field } from '../../ui/parts';

export const RANGES: Record<string, number> = { '24 hours': 1, '7 days': 7, '30 days': 30, '90 days': 90 };

/**
 * The filters: each name the config has now, then those only the log has in the range (a route
 * renamed or a deployment deleted since), so last month's requests of either can still be picked.
 */
export function Filters({ range, since, setRange, filters, setFilter }: { range: string; since: string; setRange: (r: string) => void; filters: UsageParams; setFilter: (k: keyof UsageParams, v: string) => void }) {
  const routes = useQuery(configQueries.routes());
  const deployments = useQuery(configQueries.deployments());
  const providers = useQuery(configQueries.providers());
  const keys = useQuery(keyQueries.all());
  const logged = useQuery(usageQueries.names(since)).data;
  const select = (key: keyof UsageParams, label: string, configured: string[], inLog: string[] = []) => {
    const gone = inLog.filter((name) => !configured.includes(name));
    return (
      <Field label={label}>
        <select value={filters[key] ?? ''} onChange={(e) => setFilter(key, e.target.value)} aria-label={label}>
          <option value="">all</option>
          {configured.map((o) => <option key={o} value={o}>{o}</option>)}
          {gone.map((o) => <option key={o} value={o}>{`${o} (not in the config now)`}</option>)}
        </select>
      </Field>
    );
  };
  return (
    <div className="card" style={{ marginBottom: 16 }}>
      <div className="form-grid">
        <Field label="Time range">
          <select value={range} onChange={(e) => setRange(e.target.value)} aria-label="Time range">{Object.keys(RANGES).map((r) => <option key={r}>{r}</option>)}</select>
        </Field>
        {select('route', 'Route', routes.data?.map((r) => r.name) ?? [], logged?.routes)}
        {select('deployment', 'Deployment', deployments.data?.map((d) => d.name) ?? [], logged?.deployments)}
        {select('provider', 'Provider', providers.data?.map((p) => p.name) ?? [], logged?.providers)}
        {select('clientKey', 'Client key', ['anonymous', 'playground', ...(keys.data?.map((k) => k.name) ?? [])], logged?.clientKeys)}
        {/* Tools are named by their requests' headers, not the config: the log's own names are the options. */}
        {select('tool', 'Tool', logged?.tools ?? [])}
        {select('status', 'Status', ['ok', 'error'])}
        {select('cached', 'Cached', ['true', 'false'])}
      </div>
    </div>
  );
}

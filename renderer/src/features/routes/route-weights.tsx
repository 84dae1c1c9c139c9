/**
 * A weighted route's weights: each deployment's share of the route's traffic (default 1; 0 takes it
 * only when the others cannot answer), with the share each gets as typed. Saved as one patch of the
 * route naming every deployment's weight.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { routeMutations } from '../../api/queries/config';
import type { RouteConfig } from '../../api/types';
import { numberReader } from '../../ui/numbers';
import { ErrorNote, Field } from '../../ui/parts';
import { useUnsaved } from '../../ui/unsaved';

export function RouteWeights({ route }: { route: RouteConfig }) {
  const client = useQueryClient();
  const save = useMutation(routeMutations.patch(client, route.name));
  const saved = () => Object.fromEntries(route.deployments.map((d) => [d, String(route.weights?.[d] ?? 1)]));
  const [weights, setWeights] = useState(saved);
  // By value: a refetch of the same route must not undo what is being typed.
  const savedKey = JSON.stringify(saved());
  useEffect(() => setWeights(JSON.parse(savedKey) as Record<string, string>), [savedKey]);
  const [typos, setTypos] = useState<Record<string, string>>({});
  const typed = (d: string) => {
    const value = Number(weights[d]?.trim() || 1);
    return Number.isFinite(value) && value > 0 ? value : 0;
  };
  const total = route.deployments.reduce((sum, d) => sum + typed(d), 0);
  const share = (d: string) => {
    if (!Number.isFinite(Number(weights[d]?.trim() || 1))) return 'not a number';
    return typed(d) === 0 ? 'only when the others cannot answer' : `${Math.round((typed(d) / total) * 100)}% of traffic`;
  };
  const submit = () => {
    const { read, typos: found, ok } = numberReader();
    const next = Object.fromEntries(route.deployments.map((d) => [d, read(`weights.${d}`, weights[d] ?? '') ?? 1]));
    setTypos(found);
    if (ok()) save.mutate({ weights: next });
  };
  const fields = { ...(save.error instanceof ApiError ? save.error.fields : {}), ...typos };
  const changed = JSON.stringify(weights) !== savedKey;
  useUnsaved(`the weights of route ${route.name}`, changed);
  return (
    <form style={{ marginTop: 8 }} data-testid={`weights-${route.name}`} onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <div className="form-grid">
        {route.deployments.map((d) => (
          <Field key={d} label={`${d}: ${share(d)}`} error={fields[`weights.${d}`]}>
            <input value={weights[d] ?? ''} onChange={(e) => setWeights({ ...weights, [d]: e.target.value })} inputMode="decimal" aria-label={`Weight of ${d}`} />
          </Field>
        ))}
      </div>
      <div className="row">
        <button type="submit" disabled={!changed || save.isPending}>Save weights</button>
        {changed ? <span className="muted">Unsaved weights</span> : save.isSuccess ? <span className="muted">Saved: traffic follows these weights</span> : null}
      </div>
      {save.isError && Object.keys(fields).length === 0 ? <ErrorNote error={save.error} /> : null}
    </form>
  );
}

/**
 * A route's new name. Every reference follows it (rules, aliases, budgets, the client keys limited
 * to it); the tools' settings files do not, so the old name is kept as an alias of it unless told
 * otherwise, and tools asking for it still reach it.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { routeMutations } from '../../api/queries/config';
import type { RouteConfig } from '../../api/types';
import { ErrorNote, Field } from '../../ui/parts';
import { useUnsaved } from '../../ui/unsaved';

export function RouteRename({ route, askers, onClose }: { route: RouteConfig; askers: string[]; onClose: () => void }) {
  const client = useQueryClient();
  const [name, setName] = useState(route.name);
  const [keepAlias, setKeepAlias] = useState(true);
  const rename = useMutation(routeMutations.rename(client, route.name));
  const typed = name.trim();
  useUnsaved(`the new name of route ${route.name}`, typed !== '' && typed !== route.name);
  const fieldError = rename.error instanceof ApiError ? (rename.error.fields.name ?? rename.error.fields.aliases) : undefined;
  return (
    <form
      className="notice"
      aria-label={`Rename route ${route.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        rename.mutate({ name: typed, keepAlias }, { onSuccess: onClose });
      }}
    >
      <Field label="New name (what tools send as model)" error={fieldError}>
        <input value={name} onChange={(e) => setName(e.target.value)} aria-label={`New name of ${route.name}`} autoFocus />
      </Field>
      <label className="row" style={{ gap: 6, marginBottom: 10 }}>
        <input type="checkbox" checked={keepAlias} onChange={(e) => setKeepAlias(e.target.checked)} />
        Keep "{route.name}" as an alias, so tools that ask for it still reach this route{askers.length > 0 ? ` (${askers.join(' and ')} ${askers.length > 1 ? 'do' : 'does'})` : ''}
      </label>
      <div className="row">
        <button className="primary" type="submit" disabled={typed === '' || typed === route.name || rename.isPending}>Rename</button>
        <button type="button" onClick={onClose}>Cancel</button>
      </div>
      {rename.isError && !fieldError ? <ErrorNote error={rename.error} /> : null}
    </form>
  );
}

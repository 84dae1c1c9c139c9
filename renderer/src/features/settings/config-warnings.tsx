/**
 * Said above the pages that edit the config: what the config in force is taken with but may not
 * mean (a route of one deployment, Ollama settings on a cloud deployment, a key written in a header
 * as plain text), however it got there (a form, an import, the config file). Folded, as a route of
 * one deployment is often meant.
 */
import { useQuery } from '@tanstack/react-query';
import { configQueries } from '../../api/queries/config';

export function ConfigWarnings() {
  const warnings = useQuery(configQueries.warnings()).data ?? [];
  if (warnings.length === 0) return null;
  return (
    <details className="notice warn" data-testid="config-warnings">
      <summary>{warnings.length === 1 ? '1 thing' : `${warnings.length} things`} in the config worth a look</summary>
      <ul>{warnings.map((w) => <li key={`${w.path}${w.message}`}><code>{w.path}</code>: {w.message}</li>)}</ul>
    </details>
  );
}

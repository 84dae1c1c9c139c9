/** What the query and mutation factories share: admin API paths, and invalidating branches of keys. */
import type { QueryClient } from '@tanstack/react-query';

export const path = (list: string, name?: string, tail = '') => `/admin/api/${list}${name === undefined ? '' : `/${encodeURIComponent(name)}`}${tail}`;
export const invalidate =
  (client: QueryClient, ...keys: string[]) =>
  () =>
    Promise.all(keys.map((key) => client.invalidateQueries({ queryKey: [key] })));

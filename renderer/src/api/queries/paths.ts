/** What the query and mutation factories share: admin API paths, and invalidating a branch of keys. */
import type { QueryClient } from '@tanstack/react-query';

export const path = (list: string, name?: string, tail = '') => `/admin/api/${list}${name === undefined ? '' : `/${encodeURIComponent(name)}`}${tail}`;
export const invalidate = (client: QueryClient, key: string) => () => client.invalidateQueries({ queryKey: [key] });

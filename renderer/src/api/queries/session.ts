/** The admin session: who is signed in. */
import { queryOptions } from '@tanstack/react-query';
import { api } from '../client';
import type { Session } from '../types';

export const sessionQuery = () => queryOptions({ queryKey: ['session'], queryFn: () => api<Session>('/admin/api/session') });

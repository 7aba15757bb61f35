/**
 * Fetches every page of a list endpoint (`?page=N&limit=20`, answer `{data, meta{total,page,limit}}`).
 * Pages are fetched one after another (the rate limiter serialises them anyway); it stops when it
 * holds `meta.total` items, at an empty page, or after `maxPages` as a bound.
 */
import type { Meta } from './types.js';

export const PAGE_LIMIT = 20;

export interface Page<T> {
  data: T[];
  meta: Meta;
}

export async function fetchAllPages<T>(
  fetchPage: (page: number, limit: number) => Promise<Page<T>>,
  opts: { limit?: number; maxPages?: number } = {},
): Promise<T[]> {
  const limit = opts.limit ?? PAGE_LIMIT;
  const maxPages = opts.maxPages ?? 1000;
  const all: T[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const { data, meta } = await fetchPage(page, limit);
    all.push(...data);
    if (data.length === 0 || all.length >= meta.total || page * (meta.limit || limit) >= meta.total) break;
  }
  return all;
}

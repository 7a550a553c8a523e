import { CairnError } from '../errors.js';

/** Tool groups that `CAIRN_TOOLSETS` can enable. */
export const TOOLSETS = ['memory', 'episodes', 'patterns', 'adhd', 'sandbox', 'ops'] as const;
/** One of `TOOLSETS`. */
export type Toolset = (typeof TOOLSETS)[number];

/** Parses `CAIRN_TOOLSETS` (comma-separated names or `all`). Default (unset, blank or `all`): every toolset. */
export function parseToolsets(raw: string | undefined): Toolset[] {
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'all') return [...TOOLSETS];
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !(TOOLSETS as readonly string[]).includes(n));
  if (bad.length)
    throw new CairnError(
      'CONFIG_INVALID',
      `CAIRN_TOOLSETS=${JSON.stringify(raw)} is invalid: unknown ${bad.join(', ')}; accepted: ${TOOLSETS.join(', ')} or all`,
    );
  return [...new Set(names)] as Toolset[];
}

import { m001Core } from './001-core.js';
import { m002Patterns } from './002-patterns.js';
import { m003Adhd } from './003-adhd.js';
import { m004Vectors } from './004-vectors.js';
import { m005Diskann } from './005-diskann.js';
import { m006Lifecycle } from './006-lifecycle.js';
import { m007Activity } from './007-activity.js';
import type { Migration } from './types.js';

/** Every migration, in order. Add new ones at the end with the next number; never edit an old one. */
export const MIGRATIONS: Migration[] = [m001Core, m002Patterns, m003Adhd, m004Vectors, m005Diskann, m006Lifecycle, m007Activity];

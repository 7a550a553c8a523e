import { m001Core } from './001-core.js';
import { m003Adhd } from './003-adhd.js';

/** A numbered schema change. Applied once, in order, inside one transaction. */
export interface Migration {
  version: number;
  name: string;
  /** Statements run in order; each is one SQL statement. */
  up: string[];
}

/** Every migration, in order. Add new ones at the end with the next number; never edit an old one. */
export const MIGRATIONS: Migration[] = [m001Core, m003Adhd];

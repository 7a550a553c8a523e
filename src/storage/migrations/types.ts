/** A numbered schema change. Applied once, in order, inside one transaction. */
export interface Migration {
  version: number;
  name: string;
  /** Statements run in order; each is one SQL statement. */
  up: string[];
}

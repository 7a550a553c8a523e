import type { Transaction } from '@libsql/client';
import type { Tx } from './types.js';

/**
 * A libSQL interactive transaction as a `Tx`. Savepoints are named by nesting depth, so a name is
 * reused only after the savepoint that held it is gone.
 */
export function wrapTransaction(tx: Transaction): Tx {
  let depth = 0;
  const self: Tx = {
    execute: (sql, args) => tx.execute(args ? { sql, args: args as never } : sql),
    async savepoint(fn) {
      const name = `cairn_sp${++depth}`;
      try {
        await tx.execute(`SAVEPOINT ${name}`);
        const out = await fn(self).catch(async (err: unknown) => {
          // A failed rollback leaves the whole transaction to roll back; the caller's error is the one to report.
          await tx
            .execute(`ROLLBACK TO ${name}`)
            .then(() => tx.execute(`RELEASE ${name}`))
            .catch(() => undefined);
          throw err;
        });
        await tx.execute(`RELEASE ${name}`);
        return out;
      } finally {
        depth--;
      }
    },
  };
  return self;
}

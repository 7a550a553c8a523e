import type { SessionRegistry } from './sessions.js';

/** Why a new session was refused: the server is full, or this token is at its own cap. */
export type QuotaRefusal = 'server' | 'token';

/** Session caps: the global one protects the server, the per-token one keeps a client from using it all up. */
export interface SessionQuota {
  /**
   * Holds a slot for a session `principalId` is opening (it counts before it is registered, so
   * concurrent opens cannot overshoot), or says why not. Call the returned release when the open
   * attempt is over, whether or not it registered a session.
   */
  reserve(principalId: string): { ok: true; release: () => void } | { ok: false; refused: QuotaRefusal };
}

/** Creates the quota over a registry's open sessions. */
export function createSessionQuota(sessions: SessionRegistry, caps: { maxSessions: number; maxSessionsPerToken: number }): SessionQuota {
  const opening = new Map<string, number>();
  let openingTotal = 0;
  return {
    reserve(principalId) {
      const mine = opening.get(principalId) ?? 0;
      if (sessions.size() + openingTotal >= caps.maxSessions) return { ok: false, refused: 'server' };
      if (sessions.countFor(principalId) + mine >= caps.maxSessionsPerToken) return { ok: false, refused: 'token' };
      opening.set(principalId, mine + 1);
      openingTotal++;
      let released = false;
      return {
        ok: true,
        release() {
          if (released) return;
          released = true;
          openingTotal--;
          const left = (opening.get(principalId) ?? 1) - 1;
          if (left > 0) opening.set(principalId, left);
          else opening.delete(principalId);
        },
      };
    },
  };
}

import { type EpisodeRecord, OPEN_EPISODE } from '../../src/episodes/types.js';

/** An open episode record as `start_episode` writes it, with `fields` over the defaults. */
export function openEpisodeRecord(fields: Pick<EpisodeRecord, 'id' | 'namespace' | 'task' | 'startedAt'> & Partial<EpisodeRecord>): EpisodeRecord {
  return {
    taskType: 'general',
    domain: 'general',
    language: null,
    framework: null,
    tags: [],
    complexity: 'moderate',
    context: {},
    ...OPEN_EPISODE,
    updatedAt: fields.startedAt,
    ...fields,
  };
}

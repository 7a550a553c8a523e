import type { AdhdService } from '../adhd/types.js';
import type { EpisodeService } from '../episodes/service.js';
import type { MemoryService } from '../memory/service.js';
import type { HealthService } from '../ops/health.js';
import type { Metrics } from '../ops/metrics.js';
import type { PatternService } from '../patterns/service.js';
import type { SafeHtml } from './html.js';

/** What the dashboard may call: the domain services, never the database or a repository. */
export interface UiServices {
  memory: MemoryService;
  episodes: EpisodeService;
  patterns: PatternService;
  adhd: AdhdService;
  health: HealthService;
  /** Tool call figures of this process. */
  metrics: Metrics;
}

/** The sections of the navigation. */
export type Section = 'home' | 'memories' | 'episodes' | 'patterns' | 'focus' | 'health';

/** Everything a page handler needs for one request. */
export interface PageContext {
  services: UiServices;
  /** The namespace of the session's token (or of the server without tokens). */
  ns: string;
  now: number;
  /** IANA zone times are shown in (CAIRN_TZ). */
  tz: string;
  /** The session's CSRF token, put in every form. */
  csrf: string;
  url: URL;
  /** Form fields of a POST (empty for GET). */
  form: URLSearchParams;
  /** Path parameters, e.g. `id`. */
  params: Record<string, string>;
}

/** A page to render inside the layout. */
export interface Page {
  title: string;
  section: Section;
  body: SafeHtml;
  /** Default 200. */
  status?: number;
}

/** What a handler answers: a page, or a redirect after a POST (303). */
export type Answer = Page | { redirect: string };

// biome-ignore-all lint/performance/useDomNodeTextContent: innerText() here is Playwright's locator method, not the DOM property
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type HttpHarness, startHttp, TOKEN_A, TOKEN_B } from '../server/http-helpers.js';
import { a11yProblems, type Browser, cspViolations, launchChromium, screenshots, watchErrors } from './browser.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const XSS = '<script>window.__xss = 1</script><img src="x" onerror="window.__xss = 2">Careful with <b>markup</b>';

interface Seeded {
  tea: string;
  deploy: string;
  xss: string;
  episode: string;
}

/** What an agent would do over MCP: remember, record an episode, log energy, focus, break down and finish a task. */
async function seed(client: Client): Promise<Seeded> {
  const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
  const tea = (await call(client, 'remember', { content: 'Dana prefers tea over coffee in the morning', kind: 'preference', tags: ['dana'] })) as {
    id: string;
  };
  const deploy = (await call(client, 'remember', { content: 'The deploy script lives in ops/deploy.sh', kind: 'fact', tags: ['ops'] })) as { id: string };
  const xss = (await call(client, 'remember', { content: XSS, kind: 'note' })) as { id: string };
  const ep = (await call(client, 'start_episode', { task: 'Fix the flaky login test', task_type: 'debugging', domain: 'web-api', language: 'typescript' })) as {
    episode_id: string;
  };
  await call(client, 'log_step', {
    episode_id: ep.episode_id,
    tool: 'run_tests',
    action: 'run the login suite',
    result: { type: 'error', message: 'timeout in login.spec' },
    latency_ms: 900,
  });
  await call(client, 'log_step', {
    episode_id: ep.episode_id,
    tool: 'edit_file',
    action: 'await the session cookie',
    result: { type: 'success' },
    latency_ms: 120,
  });
  await call(client, 'log_step', {
    episode_id: ep.episode_id,
    tool: 'run_tests',
    action: 'run the login suite again',
    result: { type: 'success', output: '12 passed' },
    latency_ms: 850,
  });
  await call(client, 'complete_episode', {
    episode_id: ep.episode_id,
    outcome: { type: 'success', verdict: 'login test is stable', artifacts: ['test/login.spec.ts'] },
  });
  for (const [hoursAgo, level, attention] of [
    [50, 4, 'scattered'],
    [46, 7, 'focused'],
    [28, 6, 'neutral'],
    [24, 8, 'flow'],
    [5, 3, 'depleted'],
    [2, 6, 'focused'],
  ] as const) {
    await call(client, 'log_energy', { level, attention, at: iso(hoursAgo * HOUR), note: `reading ${level}` });
  }
  await call(client, 'focus', { action: 'start', topic: 'login test', at: iso(100 * MIN) });
  await call(client, 'focus', { action: 'break', kind: 'water', at: iso(60 * MIN) });
  await call(client, 'focus', { action: 'stop', at: iso(20 * MIN) });
  const plan = (await call(client, 'break_down_task', {
    task: 'Write the project update',
    steps: [10, 15, 5, 20, 10, 8].map((m, i) => ({ title: `Part ${i + 1}`, estimate_minutes: m, energy: 'medium' })),
  })) as { steps: Array<{ id: string; title: string }> };
  const actual = [18, 30, 9, 41, 16, 15];
  const parts = plan.steps.filter((s) => s.title.startsWith('Part'));
  for (const [i, s] of parts.entries()) await call(client, 'update_task', { task_id: s.id, status: 'done', actual_minutes: actual[i] });
  return { tea: tea.id, deploy: deploy.id, xss: xss.id, episode: ep.episode_id };
}

describe('dashboard in headless Chromium', () => {
  let h: HttpHarness;
  let mcp: Client;
  let browser: Browser;
  let ids: Seeded;

  beforeAll(async () => {
    h = await startHttp({ env: { CAIRN_TOKENS: `${TOKEN_A}=alice,${TOKEN_B}=bob` } });
    mcp = await h.connect(TOKEN_A);
    ids = await seed(mcp);
    browser = await launchChromium();
    await signIn(TOKEN_A);
  }, 120_000);

  /** Exchanges a token through the sign-in link, as a user opening the link printed by `cairn ui` would. */
  async function signIn(token: string): Promise<void> {
    const page = await browser.context.newPage();
    await page.goto(`${h.base}/ui/login?token=${token}`);
    expect(new URL(page.url()).pathname).toBe('/ui/');
    await page.close();
  }

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** Opens `path` in a new tab of the signed-in browser and checks it loaded cleanly. */
  async function open(path: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.context.newPage();
    const errors = watchErrors(page);
    const res = await page.goto(`${h.base}${path}`);
    expect(res?.status(), path).toBe(200);
    return { page, errors };
  }

  async function clean(page: Page, errors: string[], label: string): Promise<void> {
    expect(errors, `${label}: console errors`).toEqual([]);
    expect(await cspViolations(page), `${label}: CSP violations`).toEqual([]);
    expect(await a11yProblems(page), `${label}: accessibility`).toEqual([]);
  }

  it('refuses a missing or wrong token, then signs in with a right one', async () => {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    const missing = await page.goto(`${h.base}/ui/`);
    expect(missing?.status()).toBe(401);
    await expect(page.locator('h1').innerText()).resolves.toBe('Sign in to Cairn');
    expect(await page.locator('body').innerText()).not.toContain('Dana');
    await screenshots(page, 'login');

    await page.fill('#token', 'not-a-real-token-at-all');
    await page.click('button[type=submit]');
    await expect(page.locator('#login-error').innerText()).resolves.toContain('not valid');
    expect(await page.locator('body').innerText()).not.toContain('Dana');

    const wrongLink = await page.goto(`${h.base}/ui/login?token=${TOKEN_A.slice(0, -1)}x`);
    expect(wrongLink?.status()).toBe(401);

    await page.fill('#token', TOKEN_A);
    await page.click('button[type=submit]');
    await page.waitForURL(`${h.base}/ui/`);
    await expect(page.locator('.ns strong').innerText()).resolves.toBe('alice');
    const cookies = await browser.context.cookies(`${h.base}/ui/`);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/ui' });
    await page.close();
  });

  it('shows what was done over MCP on every page, without console errors or CSP violations', async () => {
    const pages: Array<[string, string, string[]]> = [
      ['overview', '/ui/', ['Dana prefers tea', 'Fix the flaky login test', '6/10']],
      ['memories', '/ui/memories', ['Dana prefers tea over coffee in the morning', 'ops/deploy.sh', 'Newest first']],
      ['search', '/ui/memories?q=deploy+script', ['The deploy script lives in ops/deploy.sh', 'Why it ranked']],
      ['episodes', '/ui/episodes', ['Fix the flaky login test', 'debugging · web-api', 'success']],
      [
        'episode',
        `/ui/episodes/${ids.episode}`,
        ['Fix the flaky login test', 'Efficiency', 'Learning bonus', 'timeout in login.spec', 'What went well', 'Steps (3)'],
      ],
      ['patterns', '/ui/patterns', ['Learned patterns', 'Wilson']],
      [
        'focus',
        '/ui/focus',
        [
          'Energy over days',
          'When your energy is high',
          'Focus sessions and breaks',
          'Write the project update',
          'Part 4',
          'Learned from your last 6 estimated tasks',
        ],
      ],
      ['health', '/ui/health', ['Database', 'Cache', 'Embedder', 'Sandbox pool', 'remember']],
    ];
    for (const [name, path, texts] of pages) {
      const { page, errors } = await open(path);
      const text = await page.locator('main').innerText();
      for (const t of texts) expect.soft(text, `${name} shows "${t}"`).toContain(t);
      await clean(page, errors, name);
      await screenshots(page, name);
      await page.close();
    }
  });

  it('draws the charts from the data: energy dots, heat-map cells, focus bars, calibration points, episode dots', async () => {
    const { page, errors } = await open('/ui/focus');
    expect(await page.locator('#energy-chart circle.dot').count()).toBe(6);
    expect(await page.locator('#heat-chart rect:not(.cell-empty)').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('#focus-chart rect.session').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#focus-chart path.brk').count()).toBe(1);
    expect(await page.locator('#calibration-chart circle.dot:not(.hollow)').count()).toBe(6);
    await clean(page, errors, 'focus charts');
    await page.goto(`${h.base}/ui/episodes`);
    const dot = page.locator('#episode-chart a');
    expect(await dot.count()).toBe(1);
    await dot.first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${h.base}/ui/episodes/${ids.episode}`);
    await page.close();
  });

  it('renders a memory holding markup as inert text', async () => {
    const { page, errors } = await open(`/ui/memories/${ids.xss}`);
    await expect(page.locator('.big-text').innerText()).resolves.toBe(XSS);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(await page.locator('main script, main img, main b').count()).toBe(0);
    await clean(page, errors, 'xss memory');
    await screenshots(page, 'memory');
    await page.close();
  });

  it('is usable from the keyboard: the skip link comes first and "/" jumps to search', async () => {
    const { page } = await open('/ui/memories');
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement?.textContent')).resolves.toBe('Skip to content');
    await page.keyboard.press('Enter');
    await expect(page.evaluate('document.activeElement?.id')).resolves.toBe('main');
    await page.keyboard.press('/');
    await expect(page.evaluate('document.activeElement?.id')).resolves.toBe('q');
    await page.close();
  });

  it('supersedes from the UI, and MCP sees the change', async () => {
    const { page, errors } = await open(`/ui/memories/${ids.tea}`);
    await page.fill('#content', 'Dana now prefers green tea, no coffee at all');
    await page.click('button:has-text("Save as new version")');
    await page.waitForURL(/\/ui\/memories\/[^/?]+\?done=superseded$/);
    const newId = new URL(page.url()).pathname.split('/').at(-1)!;
    expect(newId).not.toBe(ids.tea);
    await expect(page.locator('[role=status]').innerText()).resolves.toContain('supersedes');
    await expect(page.locator('main').innerText()).resolves.toContain('Dana prefers tea over coffee in the morning');

    const found = (await call(mcp, 'query_memory', { query: 'Dana tea coffee', scope: ['memories'] })) as { results: Array<{ id: string; content?: string }> };
    expect(found.results.map((r) => r.id)).toContain(newId);
    expect(found.results.map((r) => r.id)).not.toContain(ids.tea);
    await clean(page, errors, 'supersede');
    await page.close();
  });

  it('forgets and restores from the UI, and MCP sees the change', async () => {
    const { page, errors } = await open(`/ui/memories/${ids.deploy}`);
    await page.fill('#reason', 'moved to the wiki');
    await page.click('button.danger');
    await page.waitForURL(/\?done=forgotten$/);
    await expect(page.locator('main').innerText()).resolves.toContain('moved to the wiki');
    const after = (await call(mcp, 'query_memory', { query: 'deploy script ops', scope: ['memories'] })) as { results: Array<{ id: string }> };
    expect(after.results.map((r) => r.id)).not.toContain(ids.deploy);
    await screenshots(page, 'memory-forgotten');

    await page.click('button:has-text("Restore")');
    await page.waitForURL(/\?done=restored$/);
    const back = (await call(mcp, 'query_memory', { query: 'deploy script ops', scope: ['memories'] })) as { results: Array<{ id: string }> };
    expect(back.results.map((r) => r.id)).toContain(ids.deploy);
    await clean(page, errors, 'forget and restore');
    await page.close();
  });

  it('keeps each token to its namespace', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${h.base}/ui/login?token=${TOKEN_B}`);
    await expect(page.locator('.ns strong').innerText()).resolves.toBe('bob');
    await page.goto(`${h.base}/ui/memories`);
    expect(await page.locator('main').innerText()).not.toContain('Dana');
    const res = await page.goto(`${h.base}/ui/memories/${ids.deploy}`);
    expect(res?.status()).toBe(404);
    await page.close();
    await signIn(TOKEN_A);
  });
});

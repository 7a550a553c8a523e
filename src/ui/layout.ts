import { ASSET_VERSION } from './assets/index.js';
import { html, type SafeHtml } from './html.js';
import type { Page, Section } from './types.js';

const NAV: ReadonlyArray<{ key: Section; href: string; label: string }> = [
  { key: 'home', href: '/ui/', label: 'Overview' },
  { key: 'memories', href: '/ui/memories', label: 'Memories' },
  { key: 'episodes', href: '/ui/episodes', label: 'Episodes' },
  { key: 'patterns', href: '/ui/patterns', label: 'Patterns' },
  { key: 'focus', href: '/ui/focus', label: 'Focus & energy' },
  { key: 'health', href: '/ui/health', label: 'Health' },
];

/** What the frame around a page shows about the session. */
export interface Chrome {
  namespace: string | null;
  csrf: string | null;
  /** Show the sign-out button (only when a token was exchanged). */
  canSignOut: boolean;
  version: string;
}

/** The document around a page: skip link, banner with navigation, main, footer. */
export function layout(page: Page, chrome: Chrome): string {
  const nav =
    chrome.namespace === null
      ? ''
      : html`<nav class="nav" aria-label="Sections"><ul>${NAV.map(
          (n) => html`<li><a href="${n.href}"${n.key === page.section ? html` aria-current="page"` : ''}>${n.label}</a></li>`,
        )}</ul></nav>`;
  const signOut =
    chrome.canSignOut && chrome.csrf
      ? html`<form method="post" action="/ui/logout" class="signout"><input type="hidden" name="_csrf" value="${chrome.csrf}"><button type="submit" class="link">Sign out</button></form>`
      : '';
  const doc: SafeHtml = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="same-origin">
<title>${page.title} · Cairn</title>
<link rel="icon" href="/ui/assets/icon.svg?v=${ASSET_VERSION}" type="image/svg+xml">
<link rel="stylesheet" href="/ui/assets/app.css?v=${ASSET_VERSION}">
<script src="/ui/assets/app.js?v=${ASSET_VERSION}" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="banner">
<div class="bar">
<a class="brand" href="/ui/"><svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24"><ellipse cx="12" cy="19" rx="9" ry="3"/><ellipse cx="12" cy="13" rx="6.5" ry="2.6"/><ellipse cx="12" cy="7.6" rx="4.2" ry="2.1"/><ellipse cx="12" cy="3.6" rx="2.2" ry="1.3"/></svg><span>Cairn</span></a>
${chrome.namespace === null ? '' : html`<p class="ns">namespace <strong>${chrome.namespace}</strong></p>`}
${signOut}
</div>
${nav}
</header>
<main id="main" tabindex="-1">
${page.body}
</main>
<footer class="footer"><p>Cairn ${chrome.version} · local-first memory · every page works without JavaScript</p></footer>
</body>
</html>`;
  return doc.value;
}

import { createHash } from 'node:crypto';
import { APP_JS } from './script.js';
import { STYLE_CSS } from './style.js';

const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><g fill="#2d6a58"><ellipse cx="12" cy="19" rx="9" ry="3"/><ellipse cx="12" cy="13" rx="6.5" ry="2.6"/><ellipse cx="12" cy="7.6" rx="4.2" ry="2.1"/><ellipse cx="12" cy="3.6" rx="2.2" ry="1.3"/></g></svg>`;

/** A file the dashboard serves from `/ui/assets/`. Assets are compiled into the package: nothing is fetched from elsewhere. */
export interface Asset {
  type: string;
  body: string;
}

/** The assets by file name. */
export const ASSETS: ReadonlyMap<string, Asset> = new Map([
  ['app.css', { type: 'text/css; charset=utf-8', body: STYLE_CSS }],
  ['app.js', { type: 'text/javascript; charset=utf-8', body: APP_JS }],
  ['icon.svg', { type: 'image/svg+xml', body: ICON_SVG }],
]);

/** Changes whenever an asset does, so pages can let browsers cache assets for long. */
export const ASSET_VERSION = createHash('sha256')
  .update([...ASSETS.values()].map((a) => a.body).join('\u0000'))
  .digest('hex')
  .slice(0, 10);

import { html } from '../html.js';
import type { Page } from '../types.js';

/** The sign-in page: one token field. `problem` says why the last attempt was refused. */
export function loginPage(problem: string | null, status = problem ? 401 : 200): Page {
  return {
    status,
    title: 'Sign in',
    section: 'home',
    body: html`<section class="card login" aria-labelledby="login-h">
<h1 id="login-h">Sign in to Cairn</h1>
<p class="muted">Paste a token this server accepts. <code>cairn ui</code> prints a link that signs you in once.</p>
${problem ? html`<p class="notice error" role="alert" id="login-error"><strong>Refused.</strong> ${problem}</p>` : ''}
<form method="post" action="/ui/login">
<div class="field"><label for="token">Token</label><input type="password" id="token" name="token" autocomplete="current-password" required${problem ? html` aria-describedby="login-error"` : ''}></div>
<p></p>
<button type="submit">Sign in</button>
</form>
</section>`,
  };
}

/** After a link sign-in: continue to the dashboard (a same-site navigation, so the new cookie is sent). */
export function signedInPage(): Page {
  return {
    title: 'Signed in',
    section: 'home',
    body: html`<section class="card login"><h1>Signed in</h1><p><a class="button" href="/ui/">Open the dashboard</a></p></section>`,
  };
}

// The frame of every operator page: navigation, one stylesheet (assets.ts: the Content-Security-Policy
// allows no inline style), no script and no build step.
import { STYLESHEET_PATH } from './assets';
import { html, type Html } from './html';

const NAV: [string, string][] = [
  ['/', 'Dashboard'],
  ['/expectations', 'Expectations'],
  ['/timeline', 'Timeline'],
  ['/alerts', 'Alerts'],
  ['/watches', 'Watches'],
  ['/subscribers', 'Subscribers'],
  ['/pages/given-up', 'Given-up pages'],
  ['/admin/queues', 'Queues (bull-board)'],
  ['/docs', 'API docs'],
];

export function page(opts: { title: string; path: string; body: Html; loggedIn?: boolean }): string {
  const nav = NAV.map(([href, label]) =>
    href === opts.path
      ? html`<a href="${href}" aria-current="page">${label}</a>`
      : html`<a href="${href}">${label}</a>`,
  );
  const logout =
    opts.loggedIn === false
      ? ''
      : html`<form method="post" action="/logout"><button type="submit">Log out</button></form>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${opts.title} · newswatch</title>
        <link rel="stylesheet" href="${STYLESHEET_PATH}" />
      </head>
      <body>
        <header><strong>newswatch</strong>${opts.loggedIn === false ? '' : nav}${logout}</header>
        <main>
          <h1>${opts.title}</h1>
          ${opts.body}
        </main>
      </body>
    </html>`.value;
}

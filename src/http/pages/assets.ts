// The operator pages' one stylesheet, served from this origin: the Content-Security-Policy
// (security-headers.ts) allows styles from here only, no inline <style> or style="". Public, as
// the login and unsubscribe pages use it before anyone has a session.
import type { FastifyInstance } from 'fastify';
import { FEED_CSS } from './feed-styles';

export const STYLESHEET_PATH = '/assets/newswatch.css';

const CSS = `body{font-family:system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:.6em 1.2em;display:flex;gap:1.2em;align-items:center;flex-wrap:wrap}
header a{color:#cfe0ff;text-decoration:none}header a[aria-current]{color:#fff;font-weight:600}
header form{margin-left:auto}main{padding:1em 1.2em;max-width:90em}
section{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:.8em 1em;margin:0 0 1em}
h1{font-size:1.3em;margin:.2em 0 .6em}h2{font-size:1.1em;margin:.2em 0 .6em}
table{border-collapse:collapse;width:100%;font-size:.92em}th,td{text-align:start;padding:.3em .5em;border-bottom:1px solid #eceff3;vertical-align:top}
th{background:#f0f2f5;font-weight:600}.muted{color:#7a8494}.num{text-align:end}
.state{display:inline-block;padding:0 .5em;border-radius:1em;font-size:.85em;background:#e8ebf0}
.state-ok,.state-fulfilled,.state-delivered{background:#d6f5dd}.state-failing,.state-broken,.state-needs-JavaScript,.state-overdue,.state-dead-lettered{background:#ffd9d6}
.state-silent{background:#fff0c2}.reason{color:#5a4a00;display:block;max-width:28em}
.state-backing-off,.state-retrying,.state-open{background:#fff0c2}.state-paused,.state-removed,.state-cancelled{background:#e2e2e2}
.error{color:#a4161a}.field-error{color:#a4161a;font-size:.85em;display:block}.notice{background:#e8f4ff;border-color:#b6d7ff}
form.inline{display:inline}button{cursor:pointer}label{display:inline-block;margin:0 .8em .4em 0}
input[aria-invalid=true]{border-color:#a4161a;outline:1px solid #a4161a}blockquote{margin:.2em 0;padding-inline-start:.6em;border-inline-start:3px solid #dde1e8}
.tabs a{margin-inline-end:1em}
ul.sources{list-style:none;padding:0;margin:.3em 0 0;font-size:.9em}ul.sources li{margin:.1em 0}.hint{font-size:.85em;color:#7a8494;display:block}
body.letter{font-family:sans-serif;max-width:40em;margin:3em auto;padding:0 1em;background:#fff}
`;

export async function pageAssets(app: FastifyInstance): Promise<void> {
  app.get(STYLESHEET_PATH, { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(CSS + FEED_CSS),
  );
}

// The given-up pages: article pages the scrape stage gave up, with why, how often they were
// tried and the last error, and a button to re-drive each once the page is back.
import type { GivenUpPage } from '../../store/given-up-pages';
import { stateBadge } from './badges';
import { html, link, text, time, type Html } from './html';

export function givenUpPage(pages: GivenUpPage[]): Html {
  return html`<section id="given-up">
    <p class="muted">
      A page is retried for about a day (longer when its host asks to wait) before it is given up; a page gone
      (404, 410), refused, no HTML or too large is given up at once. Re-driving fetches it again from the
      first attempt.
    </p>
    ${pages.length === 0 ? html`<p class="muted">No pages given up.</p>` : table(pages)}
  </section>`;
}

function table(pages: GivenUpPage[]): Html {
  return html`<table>
    <thead>
      <tr>
        <th>Given up</th>
        <th>Page</th>
        <th>Feed</th>
        <th>Reason</th>
        <th>Last error</th>
        <th class="num">Attempts</th>
        <th></th>
      </tr>
    </thead>
    <tbody>
      ${pages.map(
        (p) =>
          html`<tr data-given-up="${p.id}">
            <td>${time(p.at)}</td>
            <td>${link(p.url, text(p.job.item.title || p.url))}<br /><small>${p.url}</small></td>
            <td>${p.feedId}</td>
            <td>${stateBadge(p.reason)}</td>
            <td><small class="error">${p.error}</small></td>
            <td class="num">${p.attempts}</td>
            <td>
              <form class="inline" method="post" action="/pages/given-up/${encodeURIComponent(p.id)}/redrive">
                <button type="submit">Re-drive</button>
              </form>
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

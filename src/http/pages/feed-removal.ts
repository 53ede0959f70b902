// Removing a feed asks first, without script: the dashboard's Remove button opens this page
// (GET), and only its own form, which posts `confirm=yes`, removes the feed. A removed feed is
// listed under "Removed feeds" with a Restore button (dashboard.ts).
import type { FeedView } from '../operator';
import { html, link, text, type Html } from './html';

/** The form field that says the operator confirmed; a POST without it only shows this page. */
export const CONFIRM_FIELD = 'confirm';

export function confirmed(body: unknown): boolean {
  return (body as Record<string, unknown> | undefined)?.[CONFIRM_FIELD] === 'yes';
}

export function removeConfirmation(feed: FeedView): Html {
  return html`<section id="confirm-remove" data-feed="${feed.id}">
    <p>
      Remove ${link(feed.url, text(feed.name, feed.language))} (<code>${feed.id}</code>)? It is polled no more
      from the next slot on. Its articles, events and the items it listed stay, and it is listed under
      "Removed feeds", where Restore polls it again without alerting on what it listed before.
    </p>
    <form class="inline" method="post" action="/feeds/${encodeURIComponent(feed.id)}/remove">
      <input type="hidden" name="${CONFIRM_FIELD}" value="yes" />
      <button type="submit">Remove feed</button>
    </form>
    <a href="/#feeds">Cancel</a>
  </section>`;
}

// Whether a fetched article page is a page newswatch can read: HTML, or text a misconfigured
// server labels text/plain or XML. A PDF, an image or a download is refused for good (scraping it
// again would fetch the same bytes), naming the URL and the type it is.
import { PermanentError } from '../errors';

/** The page is no HTML: the scrape stage gives it up at once (reason `not-html`). */
export class PageNotHtmlError extends PermanentError {
  constructor(
    readonly url: string,
    readonly contentType: string,
  ) {
    super('NW_PAGE_NOT_HTML', `${url}: ${contentType} is not an HTML page`);
    this.name = 'PageNotHtmlError';
  }
}

/** Throws PageNotHtmlError unless the Content-Type (absent: assumed HTML) can be an HTML page. */
export function assertHtmlPage(url: string, contentType: string | undefined): void {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === '' || type.startsWith('text/') || type.includes('html') || type.endsWith('xml')) return;
  throw new PageNotHtmlError(url, type);
}

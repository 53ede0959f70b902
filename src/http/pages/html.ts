// Server-rendered HTML with escaping by default: every value interpolated into `html` is escaped
// unless it is itself `html` output, so text from an article (a title with <script>) stays text.
import { formatTime } from '../../domain/wording';

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0]!;
  parts.forEach((part, i) => {
    out += render(part) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Text from an article or a feed, in its own direction: Arabic right-to-left, English left-to-right. */
export function text(value: string | undefined, lang?: string): Html {
  if (!value) return html`<span class="muted">–</span>`;
  return lang
    ? html`<span dir="auto" lang="${lang}">${value}</span>`
    : html`<span dir="auto">${value}</span>`;
}

/**
 * An ISO time (or day) as readers see dates everywhere ("28 Jan 2026, 10:00 UTC"), the machine
 * value kept in `datetime` only.
 */
export function time(iso: string | undefined): Html {
  if (!iso) return html`<span class="muted">–</span>`;
  return html`<time datetime="${iso}">${formatTime(iso)}</time>`;
}

/** A link to a page from an article: only http(s), so a `javascript:` URL in a feed is shown, not followed. */
export function link(href: string | undefined, label: Html | string): Html {
  if (!href || !/^https?:\/\//i.test(href)) return html`${label}`;
  return html`<a href="${href}" rel="noopener noreferrer" target="_blank">${label}</a>`;
}

// The add-feed form: its fields as the browser posts them, turned into the API's input, and
// rendered back with each error beside the field it names.
import type { Problem } from '../../feeds/admin';
import { DEFAULT_SCHEDULE, type ProbeResult } from '../../feeds/runtime';
import { html, link, text, time, type Html } from './html';

/** The selectors of a listing page, as the form's fields hold them (feeds.yml's `selectors`). */
const SELECTOR_KEYS = ['item', 'link', 'title', 'date'] as const;
type SelectorKey = (typeof SELECTOR_KEYS)[number];

export interface FeedFormValues {
  url: string;
  name: string;
  lang: string;
  schedule: string;
  tags: string;
  /** `feed` (RSS, Atom, RDF or JSON Feed, told apart by the probe) or `html` (a listing page) */
  type: string;
  selectors: Record<SelectorKey, string>;
}

export const emptyForm: FeedFormValues = {
  url: '',
  name: '',
  lang: '',
  schedule: '',
  tags: '',
  type: 'feed',
  selectors: { item: '', link: '', title: '', date: '' },
};

export function formValues(body: unknown): FeedFormValues {
  const b = (body ?? {}) as Record<string, unknown>;
  const s = (k: string) => (typeof b[k] === 'string' ? (b[k] as string).trim() : '');
  const selectors = Object.fromEntries(SELECTOR_KEYS.map((k) => [k, s(`selectors.${k}`)])) as Record<
    SelectorKey,
    string
  >;
  return {
    url: s('url'),
    name: s('name'),
    lang: s('lang'),
    schedule: s('schedule'),
    tags: s('tags'),
    type: s('type') || 'feed',
    selectors,
  };
}

/**
 * Empty fields are left out, so the defaults apply (language from the items, every 10 minutes ...).
 * The selectors are sent for a listing page only: for a feed their fields are hidden, and ignored.
 */
export function feedInput(v: FeedFormValues): Record<string, unknown> {
  const selectors = Object.fromEntries(
    SELECTOR_KEYS.filter((k) => v.selectors[k]).map((k) => [k, v.selectors[k]]),
  );
  return {
    url: v.url,
    ...(v.name ? { name: v.name } : {}),
    ...(v.lang ? { lang: v.lang } : {}),
    ...(v.schedule ? { schedule: v.schedule } : {}),
    ...(v.tags ? { tags: v.tags.split(/[\s,]+/).filter(Boolean) } : {}),
    // The API's own check then names a missing item or link selector (`selectors.item: is required`).
    ...(v.type === 'html' ? { selectors } : {}),
  };
}

/** Problems the form has no field for (`id`, `body`) are shown above it. */
const FIELDS = new Set(['url', 'name', 'lang', 'schedule', 'tags', 'type', 'selectors']);

const SELECTOR_FIELDS: Record<SelectorKey, { label: string; placeholder: string; hint: string }> = {
  item: {
    label: 'Item selector',
    placeholder: 'article.card',
    hint: 'each news item on the page (required)',
  },
  link: {
    label: 'Link selector',
    placeholder: 'a[href]',
    hint: "the item's link, inside it or the item itself (required)",
  },
  title: { label: 'Title selector', placeholder: 'h3', hint: 'inside the item; default: the link text' },
  date: {
    label: 'Date selector',
    placeholder: 'time',
    hint: 'inside the item; a datetime attribute or date text',
  },
};

export function feedForm(values: FeedFormValues, problems: readonly Problem[] = []): Html {
  const errorOf = (field: string) =>
    problems
      .filter((p) => p.field === field || p.field.startsWith(`${field}.`))
      .map((p) => p.message)
      .join('; ');
  /** `selectors.item` is the field's name; its error's id is `selectors-item-error`. */
  const idOf = (name: string) => name.replace(/\./g, '-');
  const field = (name: string, label: string, input: Html, hint?: string) => {
    const error = errorOf(name);
    return html`<label
      >${label}
      ${input}${hint ? html`<small class="hint muted">${hint}</small>` : ''}${error ? html`<span class="field-error" id="${idOf(name)}-error" role="alert">${error}</span>` : ''}</label
    >`;
  };
  const invalid = (name: string) =>
    errorOf(name) ? html`aria-invalid="true" aria-describedby="${idOf(name)}-error"` : '';
  const general = problems.filter((p) => !FIELDS.has(p.field.split('.')[0]!));
  // `selectors` as a whole (required for a listing page), said above its fields.
  const selectorsError = problems
    .filter((p) => p.field === 'selectors')
    .map((p) => p.message)
    .join('; ');
  const option = (current: string, v: string, label: string) =>
    html`<option value="${v}" ${current === v ? html` selected` : ''}>${label}</option>`;
  const lang = (v: string, label: string) => option(values.lang, v, label);
  const selectorField = (key: SelectorKey) => {
    const { label, placeholder, hint } = SELECTOR_FIELDS[key];
    const name = `selectors.${key}`;
    return field(
      name,
      label,
      html`<input
        name="${name}"
        value="${values.selectors[key]}"
        placeholder="${placeholder}"
        ${invalid(name)}
      />`,
      hint,
    );
  };
  return html`<form method="post" action="/feeds" id="add-feed" novalidate>
    ${general.map((p) => html`<p class="error" role="alert">${p.field}: ${p.message}</p>`)}
    ${field('url', 'URL', html`<input name="url" type="url" size="50" value="${values.url}" required ${invalid('url')} />`)}
    ${field(
      'type',
      'Type',
      html`<select name="type" ${invalid('type')}>
        ${option(values.type, 'feed', 'feed (RSS, Atom, RDF, JSON Feed)')}${option(values.type, 'html', 'listing page (CSS selectors)')}
      </select>`,
    )}
    ${field('name', 'Name', html`<input name="name" dir="auto" value="${values.name}" ${invalid('name')} />`)}
    ${field(
      'lang',
      'Language',
      html`<select name="lang" ${invalid('lang')}>
        ${lang('', 'from the items')}${lang('ar', 'Arabic')}${lang('en', 'English')}
      </select>`,
    )}
    ${field('schedule', 'Schedule (cron)', html`<input name="schedule" value="${values.schedule}" placeholder="${DEFAULT_SCHEDULE}" ${invalid('schedule')} />`)}
    ${field('tags', 'Tags', html`<input name="tags" value="${values.tags}" placeholder="gulf, kuwait" ${invalid('tags')} />`)}
    <fieldset class="html-only" id="listing-selectors">
      <legend>Listing page selectors</legend>
      <p class="hint muted">
        Only for Type "listing page": a page of links to articles, read with CSS selectors (feeds.yml's
        <code>selectors</code>). Ignored for a feed.
      </p>
      ${selectorsError ? html`<p class="field-error" id="selectors-error" role="alert">${selectorsError}</p>` : ''}
      ${SELECTOR_KEYS.map(selectorField)}
    </fieldset>
    <button type="submit">Add feed</button>
  </form>`;
}

/** What the probe saw when a feed was added: its type and newest items. */
export function probeSummary(feed: { id: string; name: string; language: string }, probe: ProbeResult): Html {
  return html`<section class="notice" id="probe-result" role="status">
    <h2>Added ${text(feed.name, feed.language)} (${feed.id})</h2>
    <p>
      The probe read it as <strong>${probe.type.toUpperCase()}</strong> with ${probe.itemCount}
      item${probe.itemCount === 1 ? '' : 's'}; language ${probe.language}. It is polled from the next slot on.
    </p>
    ${
      probe.newest.length
        ? html`<ol>
            ${probe.newest.map((i) => html`<li>${link(i.link, text(i.title, feed.language))} ${time(i.published)}</li>`)}
          </ol>`
        : ''
    }
  </section>`;
}

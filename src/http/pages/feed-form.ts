// The add-feed form: its fields as the browser posts them, turned into the API's input, and
// rendered back with each error beside the field it names.
import type { Problem } from '../../feeds/admin';
import { DEFAULT_SCHEDULE, type ProbeResult } from '../../feeds/runtime';
import { html, link, text, time, type Html } from './html';

export interface FeedFormValues {
  url: string;
  name: string;
  lang: string;
  schedule: string;
  tags: string;
}

export const emptyForm: FeedFormValues = { url: '', name: '', lang: '', schedule: '', tags: '' };

export function formValues(body: unknown): FeedFormValues {
  const b = (body ?? {}) as Record<string, unknown>;
  const s = (k: keyof FeedFormValues) => (typeof b[k] === 'string' ? (b[k] as string).trim() : '');
  return { url: s('url'), name: s('name'), lang: s('lang'), schedule: s('schedule'), tags: s('tags') };
}

/** Empty fields are left out, so the defaults apply (language from the items, every 10 minutes ...). */
export function feedInput(v: FeedFormValues): Record<string, unknown> {
  return {
    url: v.url,
    ...(v.name ? { name: v.name } : {}),
    ...(v.lang ? { lang: v.lang } : {}),
    ...(v.schedule ? { schedule: v.schedule } : {}),
    ...(v.tags ? { tags: v.tags.split(/[\s,]+/).filter(Boolean) } : {}),
  };
}

/** Problems the form has no field for (`id`, `body`) are shown above it. */
const FIELDS = new Set(['url', 'name', 'lang', 'schedule', 'tags']);

export function feedForm(values: FeedFormValues, problems: readonly Problem[] = []): Html {
  const errorOf = (field: string) =>
    problems
      .filter((p) => p.field === field || p.field.startsWith(`${field}.`))
      .map((p) => p.message)
      .join('; ');
  const field = (name: keyof FeedFormValues, label: string, input: Html) => {
    const error = errorOf(name);
    return html`<label
      >${label}
      ${input}${error ? html`<span class="field-error" id="${name}-error" role="alert">${error}</span>` : ''}</label
    >`;
  };
  const invalid = (name: string) =>
    errorOf(name) ? html`aria-invalid="true" aria-describedby="${name}-error"` : '';
  const general = problems.filter((p) => !FIELDS.has(p.field.split('.')[0]!));
  const lang = (v: string, label: string) =>
    html`<option value="${v}" ${values.lang === v ? html` selected` : ''}>${label}</option>`;
  return html`<form method="post" action="/feeds" id="add-feed" novalidate>
    ${general.map((p) => html`<p class="error" role="alert">${p.field}: ${p.message}</p>`)}
    ${field('url', 'URL', html`<input name="url" type="url" size="50" value="${values.url}" required ${invalid('url')} />`)}
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

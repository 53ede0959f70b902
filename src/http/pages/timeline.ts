// The events timeline of an entity pair (Kuwait–NATO): every event both took part in, oldest
// first, the history an article recounted included. Entities are asked for by name in English or
// Arabic (Kuwait, الكويت, كويت) or by id, picked from a list of the known ones; a name it does
// not know is answered with the nearest ones, each a link to the timeline it would give.
import type { EntityChoice } from '../../domain/entity-names';
import type { EventRecord } from '../../domain/types';
import { entityName, eventDateWords, typeWords } from '../../domain/wording';
import { html, link, text, type Html } from './html';

export interface TimelineOptions {
  /** the entities to pick from (a <datalist> of their names in both languages) */
  choices?: readonly EntityChoice[] | undefined;
  /** the name that was not understood, and the names it may have meant */
  unresolved?: { name: string; suggestions: readonly EntityChoice[] } | undefined;
}

export function timelinePage(
  entities: string,
  events: EventRecord[] | undefined,
  nameOf: (id: string) => string,
  error?: string,
  options: TimelineOptions = {},
): Html {
  return html`<section>
      <form method="get" action="/timeline">
        <label
          >Entities
          <input
            name="entities"
            value="${entities}"
            list="entity-names"
            dir="auto"
            placeholder="Kuwait, NATO"
            aria-describedby="entities-hint${error ? ' entities-error' : ''}"
            ${error ? html`aria-invalid="true"` : ''}
        /></label>
        <button type="submit">Show</button>
        <span class="hint" id="entities-hint"
          >Names or ids, in English or Arabic, separated by commas: <span lang="en">Kuwait, NATO</span> ·
          <span dir="rtl" lang="ar">الكويت، الناتو</span></span
        >
        ${error ? html`<span class="field-error" id="entities-error" role="alert">${error}</span>` : ''}
        ${options.unresolved ? suggestions(entities, options.unresolved) : ''}
        ${options.choices ? datalist(options.choices) : ''}
      </form>
    </section>
    ${events === undefined ? '' : html`<section>${events.length === 0 ? html`<p class="muted">No event has all of them as parties.</p>` : table(events, nameOf)}</section>`}`;
}

/** Each known entity under both its names: typing either language offers it. */
function datalist(choices: readonly EntityChoice[]): Html {
  return html`<datalist id="entity-names">
    ${choices.map(
      (c) =>
        html`${c.en ? html`<option value="${c.en}">${c.ar ?? ''}</option>` : ''}${
          c.ar ? html`<option value="${c.ar}">${c.en ?? ''}</option>` : ''
        }`,
    )}
  </datalist>`;
}

/** "Did you mean Kuwait (الكويت)?", each a link to the timeline with that name put in. */
function suggestions(typed: string, u: { name: string; suggestions: readonly EntityChoice[] }): Html {
  if (u.suggestions.length === 0) return html``;
  const replaced = (c: EntityChoice) => {
    const name = c.en ?? c.ar ?? c.id;
    const i = typed.indexOf(u.name);
    return i < 0 ? name : `${typed.slice(0, i)}${name}${typed.slice(i + u.name.length)}`;
  };
  return html`<p class="suggestions">
    Did you mean
    ${u.suggestions.map(
      (c, i) =>
        html`${i > 0 ? ', ' : ''}<a href="/timeline?entities=${encodeURIComponent(replaced(c))}"
            >${c.en ?? c.id}${c.ar ? html` (<span dir="rtl" lang="ar">${c.ar}</span>)` : ''}</a
          >`,
    )}?
  </p>`;
}

/** A place by name: the gazetteer's, or the id made into words, or the text the article gave. */
function placeName(place: string, nameOf: (id: string) => string): string {
  const name = nameOf(place);
  return name === place ? entityName(place, undefined) : name;
}

function table(events: EventRecord[], nameOf: (id: string) => string): Html {
  return html`<table>
    <thead>
      <tr>
        <th>Date</th>
        <th>Type</th>
        <th>Parties</th>
        <th>Place</th>
        <th>Evidence</th>
        <th>Sources</th>
      </tr>
    </thead>
    <tbody>
      ${events.map(
        (e) =>
          html`<tr data-event="${e.id}">
            <td>
              ${eventDateWords(e.date)}${e.historical ? html`<br /><small class="muted">historical</small>` : ''}
            </td>
            <td>${typeWords(e.type)}</td>
            <td class="parties">${e.participants.map(nameOf).join(' – ')}</td>
            <td>${e.place ? placeName(e.place, nameOf) : ''}</td>
            <td dir="auto" lang="${e.sources[0]?.lang ?? ''}">${e.evidence}</td>
            <td>${e.sources.map((s) => html`${link(s.url, text(s.title, s.lang))}<br />`)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

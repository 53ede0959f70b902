// The events timeline of an entity pair (Kuwait–NATO): every event both took part in, oldest
// first, the history an article recounted included.
import type { EventRecord } from '../../domain/types';
import { html, link, text, type Html } from './html';

export function timelinePage(
  entities: string,
  events: EventRecord[] | undefined,
  nameOf: (id: string) => string,
  error?: string,
): Html {
  return html`<section>
      <form method="get" action="/timeline">
        <label
          >Entities
          <input
            name="entities"
            value="${entities}"
            placeholder="kuwait,nato"
            ${error ? html`aria-invalid="true" aria-describedby="entities-error"` : ''}
        /></label>
        ${error ? html`<span class="field-error" id="entities-error" role="alert">${error}</span>` : ''}
        <button type="submit">Show</button>
      </form>
    </section>
    ${events === undefined ? '' : html`<section>${events.length === 0 ? html`<p class="muted">No event has all of them as parties.</p>` : table(events, nameOf)}</section>`}`;
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
            <td>${e.date.value}${e.historical ? html`<br /><small class="muted">historical</small>` : ''}</td>
            <td>${e.type}</td>
            <td>${e.participants.map(nameOf).join(' – ')}</td>
            <td>${e.place ? nameOf(e.place) : ''}</td>
            <td dir="auto" lang="${e.sources[0]?.lang ?? ''}">${e.evidence}</td>
            <td>${e.sources.map((s) => html`${link(s.url, text(s.title, s.lang))}<br />`)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

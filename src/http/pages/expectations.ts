// The expectations board: one tab per state, each expectation with the sentence that opened it,
// its article, and for fulfilled ones the article that fulfilled it and why. Due dates read as
// words ("next month (watched until 3 Mar 2026)"), not as the horizon id the store keeps.
import type { ExpectationRecord, ExpectationState } from '../../domain/types';
import { dueWords, typesWords, windowWords } from '../../domain/wording';
import { stateBadge } from './badges';
import { html, link, text, time, type Html } from './html';

const STATES: ExpectationState[] = ['open', 'fulfilled', 'overdue', 'cancelled'];

export function expectationsBoard(
  state: ExpectationState,
  list: ExpectationRecord[],
  nameOf: (id: string) => string,
): Html {
  const tabs = STATES.map((s) =>
    s === state
      ? html`<a href="/expectations?state=${s}" aria-current="page"><strong>${s}</strong></a>`
      : html`<a href="/expectations?state=${s}">${s}</a>`,
  );
  return html`<nav class="tabs">${tabs}</nav>
    <section>
      ${list.length === 0 ? html`<p class="muted">No ${state} expectations.</p>` : list.map((x) => card(x, nameOf))}
    </section>`;
}

function card(x: ExpectationRecord, nameOf: (id: string) => string): Html {
  const f = x.fulfilledBy;
  const c = x.cancelledBy;
  return html`<article class="expectation" data-expectation="${x.id}">
      <h2>${stateBadge(x.state)} ${x.participants.map(nameOf).join(' – ')}: ${typesWords(x.types)}</h2>
      <p>Due ${dueWords(x)} <span class="muted">· window ${windowWords(x.due)}</span></p>
      <blockquote class="sentence" dir="auto" lang="${x.source.lang}">${x.text}</blockquote>
      <p>Opened by ${link(x.source.url, text(x.source.title, x.source.lang))}, ${time(x.source.published)}</p>
      ${
        f
          ? html`<div class="fulfilled-by">
              <p>
                Fulfilled by ${link(f.source.url, text(f.source.title, f.source.lang))},
                ${time(f.source.published)} (score ${f.score.toFixed(2)})
              </p>
              <ul>
                ${f.reasons.map((r) => html`<li>${text(r)}</li>`)}
              </ul>
            </div>`
          : ''
      }
      ${c ? html`<p>Called off: ${text(c.text, c.source.lang)} ${c.source.url ? link(c.source.url, text(c.source.title, c.source.lang)) : ''}</p>` : ''}
      ${
        x.state === 'open'
          ? html`<form class="inline" method="post" action="/expectations/${encodeURIComponent(x.id)}/cancel">
              <button type="submit">Cancel</button>
            </form>`
          : html`<form class="inline" method="post" action="/expectations/${encodeURIComponent(x.id)}/reopen">
              <button type="submit">Reopen</button>
            </form>`
      }
    </article>
    <hr />`;
}

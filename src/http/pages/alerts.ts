// The alerts and deliveries log: each alert with what reached whom, and the dead letters with a
// button to re-drive each. Each source on its own line with its role ("Expected in", "Reported
// in"), so a fulfilment's two Arabic titles never run into each other.
import type { Alert } from '../../domain/types';
import { kindWords, roleWords, sourceFacts, sourceRoles, type ReaderNames } from '../../domain/wording';
import type { DeliveryStatus } from '../../store/alerts';
import type { DeadLetter } from '../../store/dead-letters';
import { stateBadge } from './badges';
import { html, link, text, time, type Html } from './html';

export type AlertRow = Alert & { deliveries: DeliveryStatus[] };

/** The alert's sources, one line each: role, title in its own direction, feed and time. */
function sourceLines(a: Alert, names: ReaderNames): Html {
  return html`<ul class="sources">
    ${sourceRoles(a).map(
      ({ role, source: s }) =>
        html`<li data-role="${role}">
          <strong>${roleWords(role)}:</strong> ${link(s.url, text(s.title, s.lang))}
          <small class="muted">(${sourceFacts(s, names)})</small>
        </li>`,
    )}
  </ul>`;
}

/** @param names what feeds are called (feeds.yml); their ids otherwise */
export function alertsTable(alerts: AlertRow[], names: ReaderNames = {}): Html {
  if (alerts.length === 0) return html`<p class="muted">No alerts yet.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>Raised</th>
        <th>Kind</th>
        <th>Alert</th>
        <th>Deliveries</th>
      </tr>
    </thead>
    <tbody>
      ${alerts.map(
        (a) =>
          html`<tr data-alert="${a.id}">
            <td>${time(a.createdAt)}</td>
            <td data-kind="${a.kind}">${kindWords(a.kind)}</td>
            <td>${text(a.title)}${a.sources.length ? sourceLines(a, names) : ''}</td>
            <td>
              ${a.deliveries.length ? deliveries(a.deliveries) : html`<span class="muted">none owed</span>`}
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function deliveries(list: DeliveryStatus[]): Html {
  return html`<ul>
    ${list.map(
      (d) =>
        html`<li>
          ${d.subscriberId} · ${d.channel}: ${stateBadge(d.outcome)} ${d.attempts}
          attempt${d.attempts === 1 ? '' : 's'},
          ${time(d.lastAt)}${d.error ? html` <small class="error">${d.error}</small>` : ''}
        </li>`,
    )}
  </ul>`;
}

export function deadLettersTable(letters: DeadLetter[]): Html {
  if (letters.length === 0) return html`<p class="muted">No dead letters.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>Failed</th>
        <th>Subscriber · channel</th>
        <th>Reason</th>
        <th>Error</th>
        <th class="num">Attempts</th>
        <th></th>
      </tr>
    </thead>
    <tbody>
      ${letters.map(
        (l) =>
          html`<tr data-dead-letter="${l.id}">
            <td>${time(l.at)}</td>
            <td>${l.job.subscriberId} · ${l.job.channel}</td>
            <td>${l.reason}</td>
            <td><small class="error">${l.error}</small></td>
            <td class="num">${l.attempts}</td>
            <td>
              <form class="inline" method="post" action="/dead-letters/${encodeURIComponent(l.id)}/redrive">
                <button type="submit">Re-drive</button>
              </form>
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function alertsPage(alerts: AlertRow[], letters: DeadLetter[], names: ReaderNames = {}): Html {
  return html`<section>
      <h2>Alerts</h2>
      ${alertsTable(alerts, names)}
    </section>
    <section id="dead-letters">
      <h2>Dead letters</h2>
      ${deadLettersTable(letters)}
    </section>`;
}

// The operator's front page: feed health with pause/resume, queue depths, open expectations with
// their due dates, recent alerts and deliveries, and the add-feed form.
import type { ExpectationRecord } from '../../domain/types';
import type { Problem } from '../../feeds/admin';
import type { FeedView } from '../operator';
import { feedForm, probeSummary, type FeedFormValues } from './feed-form';
import { html, link, text, time, type Html } from './html';
import { alertsTable, type AlertRow } from './alerts';
import { stateBadge } from './badges';
import { dueWords, typesWords, type ReaderNames } from '../../domain/wording';
import { summarizeFeeds } from '../../domain/feed-summary';

export interface QueueRow {
  name: string;
  counts: Record<string, number>;
}

export interface DashboardData {
  feeds: FeedView[];
  /** feeds removed: polled no more, listed with a Restore button */
  removed: FeedView[];
  queues: QueueRow[];
  open: ExpectationRecord[];
  alerts: AlertRow[];
  deadLetters: number;
  /** article pages given up (src/http/pages/given-up.ts) */
  givenUp: number;
  form: { values: FeedFormValues; problems: Problem[] };
  /** the feed just added through the form, whose probe result is shown */
  added?: FeedView | undefined;
  nameOf(id: string): string;
  /** what feeds are called, for the alerts' sources */
  names?: ReaderNames | undefined;
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'];

export function dashboard(d: DashboardData): Html {
  return html`${d.added?.probe ? probeSummary(d.added, d.added.probe) : ''}
    <section id="feeds">
      <h2>Feeds</h2>
      ${feedSummary([...d.feeds, ...d.removed])} ${feedsTable(d.feeds)}
    </section>
    ${d.removed.length ? removedFeeds(d.removed) : ''}
    <section id="add">
      <h2>Add a feed</h2>
      ${feedForm(d.form.values, d.form.problems)}
    </section>
    <section id="queues">
      <h2>Queues</h2>
      ${queuesTable(d.queues)}
      <p>
        <a href="/admin/queues">Open the queue dashboard (bull-board)</a> · dead letters:
        <a href="/alerts#dead-letters">${d.deadLetters}</a> · given-up pages:
        <a href="/pages/given-up">${d.givenUp}</a>
      </p>
    </section>
    <section id="expectations">
      <h2>Open expectations</h2>
      ${expectationsList(d.open, d.nameOf)}
      <p><a href="/expectations">The expectations board</a></p>
    </section>
    <section id="alerts">
      <h2>Recent alerts and deliveries</h2>
      ${alertsTable(d.alerts, d.names)}
      <p><a href="/alerts">All alerts</a></p>
    </section>`;
}

function feedsTable(feeds: FeedView[]): Html {
  if (feeds.length === 0)
    return html`<p class="muted">No feeds yet: add one below, or declare them in feeds.yml.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>Feed</th>
        <th>State</th>
        <th>Last success</th>
        <th>Last error</th>
        <th class="num">Error streak</th>
        <th class="num">Items seen</th>
        <th>Next poll</th>
        <th>Schedule</th>
        <th></th>
      </tr>
    </thead>
    <tbody>
      ${feeds.map(
        (f) =>
          html`<tr data-feed="${f.id}">
            <td>
              ${link(f.url, text(f.name, f.language))}<br /><small class="muted"
                >${f.id} · ${f.type} · ${f.language} ·
                ${f.origin === 'file' ? 'feeds.yml' : 'added at run time'}</small
              >
            </td>
            <td>
              ${stateBadge(f.health.state)}${
                f.health.reason && f.health.reason !== f.health.lastError
                  ? html`<br /><small class="reason">${f.health.reason}</small>`
                  : ''
              }
            </td>
            <td>${time(f.health.lastSuccessAt)}</td>
            <td>
              ${f.health.lastError ? html`${time(f.health.lastErrorAt)}<br /><small class="error">${f.health.lastError}</small>` : html`<span class="muted">–</span>`}
            </td>
            <td class="num">${f.health.errorStreak}</td>
            <td class="num">${f.health.itemsSeen}</td>
            <td class="nowrap">${time(f.health.nextPollAt)}</td>
            <td class="nowrap"><code>${f.schedule}</code></td>
            <td>${feedActions(f)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function feedActions(f: FeedView): Html {
  const action = (verb: string, label: string) =>
    html`<form class="inline" method="post" action="/feeds/${encodeURIComponent(f.id)}/${verb}">
      <button type="submit">${label}</button>
    </form>`;
  // Remove asks first: its button opens the confirmation page (a GET), which posts the removal.
  return html`${f.enabled ? action('pause', 'Pause') : action('resume', 'Resume')}
    <form class="inline" method="get" action="/feeds/${encodeURIComponent(f.id)}/remove">
      <button type="submit">Remove…</button>
    </form>`;
}

/** One line above the table: how many feeds are in each state, and how many were removed. */
function feedSummary(feeds: FeedView[]): Html {
  const summary = summarizeFeeds(feeds.map((f) => f.health.state));
  return html`<p class="summary" id="feed-summary">
    ${summary.total} feed${summary.total === 1 ? '' : 's'}:
    ${summary.counts.map(
      (c, i) =>
        html`${i ? ', ' : ''}<span class="nowrap" data-state="${c.state}"
            >${c.count} ${stateBadge(c.state)}</span
          >`,
    )};
    <a class="nowrap" data-state="removed" href="${summary.removed ? '#removed-feeds' : '#feeds'}"
      >${summary.removed} removed</a
    >
  </p>`;
}

function removedFeeds(feeds: FeedView[]): Html {
  return html`<section id="removed-feeds">
    <h2>Removed feeds</h2>
    <p class="muted">
      Polled no more; their articles, events and the items they listed are kept. Restore polls one again,
      under its id, without alerting on what it listed before.
    </p>
    <table>
      <thead>
        <tr>
          <th>Feed</th>
          <th>Removed</th>
          <th>Last success</th>
          <th class="num">Items seen</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${feeds.map(
          (f) =>
            html`<tr data-removed-feed="${f.id}">
              <td>
                ${link(f.url, text(f.name, f.language))}<br /><small class="muted"
                  >${f.id} · ${f.type} · ${f.origin === 'file' ? 'feeds.yml' : 'added at run time'}</small
                >
              </td>
              <td class="nowrap">${time(f.removedAt)}</td>
              <td class="nowrap">${time(f.health.lastSuccessAt)}</td>
              <td class="num">${f.health.itemsSeen}</td>
              <td>
                <form class="inline" method="post" action="/feeds/${encodeURIComponent(f.id)}/restore">
                  <button type="submit">Restore</button>
                </form>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

function queuesTable(queues: QueueRow[]): Html {
  return html`<table>
    <thead>
      <tr>
        <th>Queue</th>
        ${QUEUE_STATES.map((s) => html`<th class="num">${s}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${queues.map(
        (q) =>
          html`<tr data-queue="${q.name}">
            <td><a href="/admin/queues/queue/${q.name}">${q.name}</a></td>
            ${QUEUE_STATES.map((s) => html`<td class="num">${q.counts[s] ?? 0}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function expectationsList(list: ExpectationRecord[], nameOf: (id: string) => string): Html {
  if (list.length === 0) return html`<p class="muted">None.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>Due</th>
        <th>Parties</th>
        <th>Expected</th>
        <th>Sentence</th>
        <th>Source</th>
      </tr>
    </thead>
    <tbody>
      ${list.map(
        (x) =>
          html`<tr data-expectation="${x.id}">
            <td>${dueWords(x)}</td>
            <td>${x.participants.map(nameOf).join(' – ')}</td>
            <td>${typesWords(x.types)}</td>
            <td><blockquote class="sentence" dir="auto" lang="${x.source.lang}">${x.text}</blockquote></td>
            <td>${link(x.source.url, text(x.source.title, x.source.lang))}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

// The /subscribers pages: every subscriber with its channels and their state, paused or not;
// the channels whose recipients unsubscribed, each with a form that subscribes it again once the
// recipient's consent is recorded; the add form; one subscriber's page with the consents kept
// and, for those added at run time, the edit form. Errors are shown beside the field they name.
// Webhook secrets appear only cut short (SubscriberView), never in a form's value.
import { ALERT_KINDS, isOptIn } from '../../domain/alert-kinds';
import type { Subscriber } from '../../domain/alerts';
import type { Problem } from '../../feeds/admin';
import { CONSENT_HINT, type SubscriberView, type UnsubscribedView } from '../../subscribers/admin';
import { stateBadge } from './badges';
import { html, text, time, type Html } from './html';

// ---- the subscriber form ---------------------------------------------------------------------

export interface SubscriberFormValues {
  id: string;
  name: string;
  email: string;
  webhookUrl: string;
  /** what was typed; never rendered back */
  webhookSecret: string;
  webhookRate: string;
  mode: string;
  digestSchedule: string;
  digestTimezone: string;
  kinds: string[];
  entities: string;
  entitiesAll: string;
  eventTypes: string;
  feeds: string;
  regions: string;
  languages: string;
  minScore: string;
}

const TEXT_FIELDS = [
  'id',
  'name',
  'email',
  'webhookUrl',
  'webhookSecret',
  'webhookRate',
  'mode',
  'digestSchedule',
  'digestTimezone',
  'entities',
  'entitiesAll',
  'eventTypes',
  'feeds',
  'regions',
  'languages',
  'minScore',
] as const;

export const emptySubscriberForm: SubscriberFormValues = {
  ...(Object.fromEntries(TEXT_FIELDS.map((f) => [f, ''])) as Omit<SubscriberFormValues, 'kinds'>),
  mode: 'instant',
  kinds: [],
};

/** The form's fields as the browser posted them (urlencoded: text, or a list for a repeated name). */
export function subscriberFormValues(body: unknown): SubscriberFormValues {
  const b = (body ?? {}) as Record<string, unknown>;
  const one = (k: string) => (typeof b[k] === 'string' ? (b[k] as string).trim() : '');
  const kinds = b.kinds;
  return {
    ...(Object.fromEntries(TEXT_FIELDS.map((f) => [f, one(f)])) as Omit<SubscriberFormValues, 'kinds'>),
    mode: one('mode') || 'instant',
    kinds: (Array.isArray(kinds) ? kinds : [kinds]).filter(
      (k): k is string => typeof k === 'string' && k !== '',
    ),
  };
}

const words = (v: string) => v.split(/[\s,;]+/).filter(Boolean);
const listOrNothing = (v: string) => (words(v).length ? words(v) : undefined);
/** A number as typed: digits become a number, anything else stays text for the schema to refuse by name. */
const numberOrText = (v: string) => (/^\d+(\.\d+)?$/.test(v) ? Number(v) : v);

/**
 * The form as subscribers.yml's input. Empty fields are left out; a webhook secret left blank
 * keeps the current subscriber's secrets; digest fields count only with the digest mode.
 */
export function subscriberInput(v: SubscriberFormValues, current?: Subscriber): Record<string, unknown> {
  const filters: Record<string, unknown> = {};
  if (v.kinds.length) filters.kinds = v.kinds;
  const any = listOrNothing(v.entities);
  const all = listOrNothing(v.entitiesAll);
  if (all) filters.entities = { all, ...(any ? { any } : {}) };
  else if (any) filters.entities = any;
  for (const key of ['eventTypes', 'feeds', 'regions', 'languages'] as const) {
    const list = listOrNothing(v[key]);
    if (list) filters[key] = list;
  }
  if (v.minScore) filters.minScore = numberOrText(v.minScore);
  const webhook =
    v.webhookUrl || v.webhookSecret
      ? {
          url: v.webhookUrl || undefined,
          ...(v.webhookSecret
            ? { secret: v.webhookSecret }
            : current?.webhook
              ? { secrets: current.webhook.secrets }
              : {}),
          ...(v.webhookRate ? { ratePerSecond: numberOrText(v.webhookRate) } : {}),
        }
      : undefined;
  return {
    id: v.id,
    name: v.name,
    ...(listOrNothing(v.email) ? { email: listOrNothing(v.email) } : {}),
    ...(webhook ? { webhook } : {}),
    filters,
    ...(v.mode === 'digest'
      ? {
          mode: 'digest',
          ...(v.digestSchedule || v.digestTimezone
            ? { digest: { schedule: v.digestSchedule || undefined, timezone: v.digestTimezone || undefined } }
            : {}),
        }
      : v.mode && v.mode !== 'instant'
        ? { mode: v.mode }
        : {}),
  };
}

/** A stored subscriber as the edit form's values (the secret is never put back in the form). */
export function valuesOf(sub: SubscriberView): SubscriberFormValues {
  const e = sub.filters.entities;
  const join = (list: readonly string[] | undefined) => (list ?? []).join(', ');
  return {
    id: sub.id,
    name: sub.name,
    email: join(sub.email),
    webhookUrl: sub.webhook?.url ?? '',
    webhookSecret: '',
    webhookRate: sub.webhook?.ratePerSecond === undefined ? '' : String(sub.webhook.ratePerSecond),
    mode: sub.mode ?? 'instant',
    digestSchedule: sub.digest?.schedule ?? '',
    digestTimezone: sub.digest?.timezone ?? '',
    kinds: [...(sub.filters.kinds ?? [])],
    entities: join(Array.isArray(e) ? e : e?.any),
    entitiesAll: join(Array.isArray(e) ? undefined : e?.all),
    eventTypes: join(sub.filters.eventTypes),
    feeds: join(sub.filters.feeds),
    regions: join(sub.filters.regions),
    languages: join(sub.filters.languages),
    minScore: sub.filters.minScore === undefined ? '' : String(sub.filters.minScore),
  };
}

/** Which form field shows a problem with a subscriber field (`webhook.secret` is `webhookSecret`). */
function formFieldOf(field: string): string | undefined {
  const [head, second] = field.split('.');
  if (head === 'id' || head === 'name' || head === 'email' || head === 'mode') return head;
  if (head === 'webhook')
    return second === 'url' ? 'webhookUrl' : second === 'ratePerSecond' ? 'webhookRate' : 'webhookSecret';
  if (head === 'digest') return second === 'timezone' ? 'digestTimezone' : 'digestSchedule';
  if (head === 'filters') {
    if (second === 'entities') return field.startsWith('filters.entities.all') ? 'entitiesAll' : 'entities';
    if (second && ['kinds', 'eventTypes', 'feeds', 'regions', 'languages', 'minScore'].includes(second))
      return second;
  }
  return undefined;
}

/** Problems beside their fields: each says which field it is about (`email.0: ... is not an email address`). */
function fieldErrors(problems: readonly Problem[]) {
  const errorOf = (name: string) =>
    problems
      .filter((p) => formFieldOf(p.field) === name)
      .map((p) => `${p.field}: ${p.message}`)
      .join('; ');
  const error = (name: string) => {
    const e = errorOf(name);
    return e ? html`<span class="field-error" id="${name}-error" role="alert">${e}</span>` : '';
  };
  const invalid = (name: string) =>
    errorOf(name) ? html`aria-invalid="true" aria-describedby="${name}-error"` : '';
  const general = problems.filter((p) => formFieldOf(p.field) === undefined);
  return { error, invalid, general };
}

export function subscriberForm(opts: {
  action: string;
  formId: string;
  values: SubscriberFormValues;
  problems?: readonly Problem[] | undefined;
  /** editing: the id is fixed, and a blank secret keeps the current one */
  editing?: SubscriberView | undefined;
}): Html {
  const { values: v, editing } = opts;
  const { error, invalid, general } = fieldErrors(opts.problems ?? []);
  const input = (name: keyof SubscriberFormValues, label: string, extra: Html | string = '') =>
    html`<label
      >${label}
      <input name="${name}" value="${v[name] as string}" ${extra} ${invalid(name)} />${error(name)}</label
    >`;
  const typedSecret = v.webhookSecret !== '' && (opts.problems?.length ?? 0) > 0;
  const secretHint = editing?.webhook
    ? html`<small class="muted"
        >now ${editing.webhook.secrets.join(', ')}; leave blank to keep it, or enter a new one to replace
        it</small
      >`
    : html`<small class="muted">whsec_… (the receiver's Standard Webhooks secret)</small>`;
  const kind = (k: string) =>
    html`<label
      ><input type="checkbox" name="kinds" value="${k}" ${v.kinds.includes(k) ? html`checked` : ''} />
      ${k}${isOptIn(k as (typeof ALERT_KINDS)[number]) ? html` <small class="muted">(opt-in)</small>` : ''}</label
    >`;
  const mode = (m: string, label: string) =>
    html`<option value="${m}" ${v.mode === m ? html`selected` : ''}>${label}</option>`;
  return html`<form method="post" action="${opts.action}" id="${opts.formId}" novalidate>
    ${general.map(
      (p) => html`<p class="error" role="alert">${p.field === 'body' ? '' : `${p.field}: `}${p.message}</p>`,
    )}
    <fieldset>
      <legend>Who</legend>
      ${
        editing
          ? html`<input type="hidden" name="id" value="${v.id}" /><label
                >Id <code>${v.id}</code>${error('id')}</label
              >`
          : input('id', 'Id', html`placeholder="gulf-desk" required`)
      }
      ${input('name', 'Name', html`dir="auto" required`)}
    </fieldset>
    <fieldset>
      <legend>Channels (email, webhook or both)</legend>
      ${input('email', 'Email addresses', html`type="text" size="40" placeholder="analyst@example.org, desk@example.org"`)}
      ${input('webhookUrl', 'Webhook URL', html`type="url" size="40" placeholder="https://receiver.example.org/hook"`)}
      <label
        >Webhook secret
        <input name="webhookSecret" type="password" autocomplete="off" value="" ${invalid('webhookSecret')} />
        ${secretHint}${typedSecret ? html`<small class="muted"> (type the secret again: it is never sent back)</small>` : ''}${error('webhookSecret')}</label
      >
      ${input('webhookRate', 'Requests per second', html`size="6" placeholder="service default"`)}
    </fieldset>
    <fieldset>
      <legend>Delivery</legend>
      <label
        >Mode
        <select name="mode" ${invalid('mode')}>
          ${mode('instant', 'instant: each alert when raised')}${mode('digest', 'digest: one message per period')}
        </select>
        ${error('mode')}</label
      >
      ${input('digestSchedule', 'Digest schedule (cron)', html`placeholder="0 7 * * *"`)}
      ${input('digestTimezone', 'Digest time zone', html`placeholder="Asia/Kuwait"`)}
    </fieldset>
    <fieldset>
      <legend>Filters (empty: everything but the opt-in kinds)</legend>
      <div>Alert kinds: ${ALERT_KINDS.map(kind)}${error('kinds')}</div>
      ${input('entities', 'Entities (any of)', html`placeholder="kuwait, nato"`)}
      ${input('entitiesAll', 'Entities (all of)', html`placeholder="kuwait, nato"`)}
      ${input('eventTypes', 'Event types', html`placeholder="meeting, summit"`)} ${input('feeds', 'Feeds')}
      ${input('regions', 'Regions')} ${input('languages', 'Languages', html`placeholder="ar, en"`)}
      ${input('minScore', 'Least match score', html`size="6" placeholder="0 to 1"`)}
    </fieldset>
    <button type="submit">${editing ? 'Save changes' : 'Add subscriber'}</button>
  </form>`;
}

// ---- the list ----------------------------------------------------------------------------------

const originLabel = (sub: SubscriberView) =>
  sub.origin === 'file' ? html`subscribers.yml` : 'added at run time';

function delivery(sub: Pick<Subscriber, 'mode' | 'digest'>): Html {
  return sub.mode === 'digest' && sub.digest
    ? html`digest <code>${sub.digest.schedule}</code> ${sub.digest.timezone}`
    : html`instant`;
}

function channelLines(sub: SubscriberView): Html {
  return html`<ul class="channels">
    ${sub.channels.map((c) => {
      const address =
        c.channel === 'email'
          ? html`${(sub.email ?? []).join(', ')}`
          : html`${sub.webhook?.url ?? ''}
              <small class="muted">secret ${(sub.webhook?.secrets ?? []).join(', ')}</small>`;
      const state = c.unsubscribedAt
        ? html`${stateBadge('unsubscribed')} <small>since ${time(c.unsubscribedAt)}</small>`
        : c.disabled
          ? html`${stateBadge('disabled')} <small>${time(c.disabled.at)}: ${c.disabled.reason}</small>`
          : '';
      return html`<li data-channel="${c.channel}">${c.channel}: ${address} ${state}</li>`;
    })}
  </ul>`;
}

/** The pause or resume button; `back` says which page the action returns to. */
export function pauseButton(sub: SubscriberView, back: 'list' | 'detail'): Html {
  const id = encodeURIComponent(sub.id);
  return sub.pausedAt
    ? html`<form class="inline" method="post" action="/subscribers/${id}/resume">
        <input type="hidden" name="back" value="${back}" /><button type="submit">Resume</button>
      </form>`
    : html`<form class="inline" method="post" action="/subscribers/${id}/pause">
        <input type="hidden" name="back" value="${back}" /><button type="submit">Pause</button>
      </form>`;
}

function deleteButton(sub: SubscriberView): Html {
  return sub.origin === 'file'
    ? html`<small class="muted">declared in subscribers.yml: change it in subscribers.yml</small>`
    : html`<form class="inline" method="post" action="/subscribers/${encodeURIComponent(sub.id)}/delete">
        <button type="submit">Delete</button>
      </form>`;
}

const stateOf = (sub: SubscriberView) =>
  sub.pausedAt
    ? html`${stateBadge('paused')} <small>since ${time(sub.pausedAt)}</small>`
    : stateBadge('active');

function subscribersTable(subs: readonly SubscriberView[]): Html {
  if (subs.length === 0)
    return html`<p class="muted">No subscribers yet: add one below, or declare them in subscribers.yml.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>Subscriber</th>
        <th>State</th>
        <th>Channels</th>
        <th>Delivery</th>
        <th>Comes from</th>
        <th></th>
      </tr>
    </thead>
    <tbody>
      ${subs.map(
        (s) =>
          html`<tr data-subscriber="${s.id}" id="subscriber-${s.id}">
            <td>
              <a href="/subscribers/${encodeURIComponent(s.id)}">${text(s.name)}</a><br /><small
                >${s.id}</small
              >
            </td>
            <td class="subscriber-state">${stateOf(s)}</td>
            <td>${channelLines(s)}</td>
            <td>${delivery(s)}</td>
            <td>${originLabel(s)}</td>
            <td>${pauseButton(s, 'list')} ${deleteButton(s)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** The form that subscribes one unsubscribed channel again; `problems` when its last try was refused. */
function resubscribeForm(
  u: UnsubscribedView,
  problems: readonly Problem[],
  typed: { consent: string; by: string } = { consent: '', by: '' },
): Html {
  const errorOf = (field: string) =>
    problems
      .filter((p) => p.field === field)
      .map((p) => `${p.field}: ${p.message}`)
      .join('; ');
  const formId = `resubscribe-${u.subscriberId}-${u.channel}`;
  const field = (name: string, label: string, input: Html) => {
    const e = errorOf(name);
    return html`<label
      >${label}
      ${input}${e ? html`<span class="field-error" id="${formId}-${name}-error" role="alert">${e}</span>` : ''}</label
    >`;
  };
  const marks = (name: string) =>
    errorOf(name) ? html`aria-invalid="true" aria-describedby="${formId}-${name}-error"` : '';
  const other = problems.filter((p) => p.field !== 'consent' && p.field !== 'by');
  return html`<form
    method="post"
    action="/subscribers/${encodeURIComponent(u.subscriberId)}/channels/${u.channel}/resubscribe"
    id="${formId}"
    novalidate
  >
    ${other.map((p) => html`<p class="error" role="alert">${p.field}: ${p.message}</p>`)}
    ${field('consent', 'Consent', html`<textarea name="consent" rows="2" cols="36" dir="auto" required placeholder="asked by phone 2026-12-04" ${marks('consent')}>${typed.consent}</textarea>`)}
    ${field('by', 'Recorded by', html`<input name="by" dir="auto" value="${typed.by}" required placeholder="your name" ${marks('by')} />`)}
    <button type="submit">Subscribe again</button>
  </form>`;
}

export interface ResubscribeRefusal {
  subscriberId: string;
  channel: string;
  problems: Problem[];
  /** what was typed, shown again */
  typed: { consent: string; by: string };
}

function unsubscribedTable(list: readonly UnsubscribedView[], refusal?: ResubscribeRefusal): Html {
  if (list.length === 0) return html`<p class="muted">No recipient has unsubscribed.</p>`;
  return html`<p class="muted">
      Subscribe a channel again only with its recipient's consent: say ${CONSENT_HINT}. The consent is kept
      with the subscriber.
    </p>
    <table>
      <thead>
        <tr>
          <th>Subscriber</th>
          <th>Channel</th>
          <th>Unsubscribed</th>
          <th>Subscribe again, with consent</th>
        </tr>
      </thead>
      <tbody>
        ${list.map(
          (u) =>
            html`<tr data-unsubscribed="${u.subscriberId}:${u.channel}">
              <td>
                <a href="/subscribers/${encodeURIComponent(u.subscriberId)}">${text(u.name)}</a><br /><small
                  >${u.subscriberId}</small
                >
              </td>
              <td>${u.channel}: ${u.address}</td>
              <td>${time(u.at)}</td>
              <td>
                ${
                  refusal && refusal.subscriberId === u.subscriberId && refusal.channel === u.channel
                    ? resubscribeForm(u, refusal.problems, refusal.typed)
                    : resubscribeForm(u, [])
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

export interface SubscribersPageData {
  subscribers: SubscriberView[];
  unsubscribed: UnsubscribedView[];
  form: { values: SubscriberFormValues; problems: Problem[] };
  resubscribeRefusal?: ResubscribeRefusal | undefined;
  /** what the last action did, said at the top */
  notice?: string | undefined;
}

export function subscribersPage(d: SubscribersPageData): Html {
  return html`${d.notice ? html`<section class="notice" role="status" id="notice">${d.notice}</section>` : ''}
    <section id="subscribers">
      <h2>Subscribers</h2>
      <p class="muted">
        A paused subscriber receives nothing, instant or digest, until it is resumed. Subscribers declared in
        subscribers.yml are changed in that file; pausing and subscribing again work for every subscriber.
      </p>
      ${subscribersTable(d.subscribers)}
    </section>
    <section id="unsubscribed">
      <h2>Unsubscribed</h2>
      ${unsubscribedTable(d.unsubscribed, d.resubscribeRefusal)}
    </section>
    <section id="add">
      <h2>Add a subscriber</h2>
      ${subscriberForm({ action: '/subscribers', formId: 'add-subscriber', values: d.form.values, problems: d.form.problems })}
    </section>`;
}

// ---- one subscriber --------------------------------------------------------------------------

function filtersList(sub: SubscriberView): Html {
  const f = sub.filters;
  const e = f.entities;
  const rows: [string, string][] = [];
  if (f.kinds) rows.push(['kinds', f.kinds.join(', ')]);
  if (Array.isArray(e)) rows.push(['entities (any of)', e.join(', ')]);
  else if (e) {
    if (e.all) rows.push(['entities (all of)', e.all.join(', ')]);
    if (e.any) rows.push(['entities (any of)', e.any.join(', ')]);
  }
  for (const key of ['eventTypes', 'feeds', 'regions', 'languages'] as const)
    if (f[key]) rows.push([key, f[key].join(', ')]);
  if (f.minScore !== undefined) rows.push(['minScore', String(f.minScore)]);
  if (rows.length === 0) return html`<p class="muted">No filters: every alert but the opt-in kinds.</p>`;
  return html`<dl>
    ${rows.map(
      ([k, v]) =>
        html`<dt>${k}</dt>
          <dd>${v}</dd>`,
    )}
  </dl>`;
}

function consentsTable(sub: SubscriberView): Html {
  const consents = sub.channels.flatMap((c) => c.consents).sort((a, b) => a.at.localeCompare(b.at));
  if (consents.length === 0)
    return html`<p class="muted">No consent recorded: no channel was subscribed again.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>Recorded</th>
        <th>Channel</th>
        <th>By</th>
        <th>How the recipient agreed</th>
        <th>Had unsubscribed</th>
      </tr>
    </thead>
    <tbody>
      ${consents.map(
        (c) =>
          html`<tr class="consent">
            <td>${time(c.at)}</td>
            <td>${c.channel}</td>
            <td>${text(c.by)}</td>
            <td>${text(c.note)}</td>
            <td>${time(c.unsubscribedAt)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function subscriberPage(
  sub: SubscriberView,
  form: { values: SubscriberFormValues; problems: Problem[] },
  notice?: string,
): Html {
  return html`${notice ? html`<section class="notice" role="status" id="notice">${notice}</section>` : ''}
    <section id="subscriber" data-subscriber="${sub.id}">
      <h2>${text(sub.name)} <small>${sub.id}</small></h2>
      <p class="subscriber-state">${stateOf(sub)} ${pauseButton(sub, 'detail')} ${deleteButton(sub)}</p>
      <p>Delivery: ${delivery(sub)} · comes from ${originLabel(sub)}</p>
      ${channelLines(sub)}
      <h3>Filters</h3>
      ${filtersList(sub)}
    </section>
    <section id="consents">
      <h2>Consents recorded</h2>
      ${consentsTable(sub)}
    </section>
    <section id="edit">
      <h2>Change</h2>
      ${
        sub.origin === 'file'
          ? html`<p class="muted">
              This subscriber is declared in subscribers.yml: change it in subscribers.yml (pause, resume and
              subscribing again work here).
            </p>`
          : subscriberForm({
              action: `/subscribers/${encodeURIComponent(sub.id)}/edit`,
              formId: 'edit-subscriber',
              values: form.values,
              problems: form.problems,
              editing: sub,
            })
      }
    </section>
    <p><a href="/subscribers">All subscribers</a></p>`;
}

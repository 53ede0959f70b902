// The /watches page: every subscriber's watches (entities and words that raise article.match),
// a form to add one (subscriber picker, entity picker from the gazetteer, keywords one per line)
// and a delete button per watch. Plain HTML forms posted to this origin (the app's same-origin
// check covers them like every other form); a refusal is shown beside the field it names, with
// what was typed kept. Registered inside operatorPages, whose error handler and form parser it uses.
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Problem } from '../../feeds/admin';
import type { Watch } from '../../domain/watch';
import { WatchAdminError } from '../../watches/admin';
import type { OperatorDeps } from '../operator';
import { idParams, noQuery } from '../query';
import { html, text, time, type Html } from './html';
import { page } from './layout';

export interface WatchFormValues {
  subscriberId: string;
  name: string;
  entities: string[];
  entityMatch: string;
  keywords: string;
  language: string;
}

const emptyForm: WatchFormValues = {
  subscriberId: '',
  name: '',
  entities: [],
  entityMatch: 'any',
  keywords: '',
  language: '',
};

/** The form as the browser posts it: a multiple select gives one value or several. */
export function watchFormValues(body: unknown): WatchFormValues {
  const b = (body ?? {}) as Record<string, unknown>;
  const s = (k: string) => (typeof b[k] === 'string' ? (b[k] as string).trim() : '');
  const many = b.entities;
  const entities = (Array.isArray(many) ? many : [many]).filter(
    (e): e is string => typeof e === 'string' && e !== '',
  );
  return {
    subscriberId: s('subscriberId'),
    name: s('name'),
    entities,
    entityMatch: s('entityMatch') || 'any',
    keywords: typeof b.keywords === 'string' ? b.keywords : '',
    language: s('language'),
  };
}

/** The admin's input: keywords one per line, empty lines and fields left out. */
export function watchInput(v: WatchFormValues): Record<string, unknown> {
  const keywords = v.keywords
    .split(/\r?\n/)
    .map((k) => k.trim())
    .filter(Boolean);
  return {
    subscriberId: v.subscriberId,
    name: v.name,
    ...(v.entities.length ? { entities: v.entities, entityMatch: v.entityMatch } : {}),
    ...(keywords.length ? { keywords } : {}),
    ...(v.language ? { language: v.language } : {}),
  };
}

const FIELDS = new Set(['subscriberId', 'name', 'entities', 'entityMatch', 'keywords', 'language']);

interface PageData {
  watches: Watch[];
  subscribers: { id: string; name: string }[];
  entities: readonly { id: string; name: string; kind: string }[];
  nameOf: (id: string) => string;
}

export function watchesPage(
  data: PageData,
  values: WatchFormValues,
  problems: readonly Problem[] = [],
): Html {
  const subscriberName = new Map(data.subscribers.map((s) => [s.id, s.name]));
  return html`<section id="watches">
      <h2>Watches</h2>
      <p class="muted">
        Each watch sends its subscriber one <code>article.match</code> for every new article that meets it, by
        the subscriber's channels and mode (instant or digest), and to no one else.
      </p>
      ${
        data.watches.length === 0
          ? html`<p class="muted">No watch yet.</p>`
          : html`<table>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Subscriber</th>
                  <th>Entities</th>
                  <th>Keywords</th>
                  <th>Language</th>
                  <th>Created</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                ${data.watches.map(
                  (w) =>
                    html`<tr data-watch="${w.id}" id="${w.id}">
                      <td>${text(w.name)}<br /><small class="muted">${w.id}</small></td>
                      <td>
                        ${subscriberName.get(w.subscriberId) ?? html`<span class="error">unknown</span>`}
                        <small class="muted">(${w.subscriberId})</small>
                      </td>
                      <td>
                        ${(w.entities ?? []).map(data.nameOf).join(w.entityMatch === 'all' ? ' and ' : ' or ')}
                      </td>
                      <td>
                        <ul class="keywords">
                          ${(w.keywords ?? []).map((k) => html`<li dir="auto">${k}</li>`)}
                        </ul>
                      </td>
                      <td>${w.language ?? 'any'}</td>
                      <td>${time(w.createdAt)}</td>
                      <td>
                        <form method="post" action="/watches/${w.id}/delete">
                          <button type="submit">Delete</button>
                        </form>
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>
    <section>
      <h2>Add a watch</h2>
      ${watchForm(data, values, problems)}
    </section>`;
}

function watchForm(data: PageData, values: WatchFormValues, problems: readonly Problem[]): Html {
  const errorOf = (field: string) =>
    problems
      .filter((p) => p.field === field || p.field.startsWith(`${field}.`))
      .map((p) => {
        const index = /^keywords\.(\d+)$/.exec(p.field)?.[1];
        return index === undefined ? p.message : `line ${Number(index) + 1}: ${p.message}`;
      })
      .join('; ');
  const field = (name: string, label: string, input: Html) => {
    const error = errorOf(name);
    return html`<label
      >${label}
      ${input}${error ? html`<span class="field-error" id="${name}-error" role="alert">${error}</span>` : ''}</label
    >`;
  };
  const invalid = (name: string) =>
    errorOf(name) ? html`aria-invalid="true" aria-describedby="${name}-error"` : '';
  const general = problems.filter((p) => !FIELDS.has(p.field.split('.')[0]!));
  const option = (value: string, label: string, selected: boolean) =>
    html`<option value="${value}" ${selected ? html` selected` : ''}>${label}</option>`;
  const kinds = [...new Set(data.entities.map((e) => e.kind))];
  return html`<form method="post" action="/watches" id="add-watch" novalidate>
    ${general.map((p) => html`<p class="error" role="alert">${p.field}: ${p.message}</p>`)}
    ${field(
      'subscriberId',
      'Subscriber',
      html`<select name="subscriberId" ${invalid('subscriberId')}>
        ${option('', 'choose a subscriber', values.subscriberId === '')}
        ${data.subscribers.map((s) => option(s.id, `${s.name} (${s.id})`, values.subscriberId === s.id))}
      </select>`,
    )}
    ${field('name', 'Name', html`<input name="name" dir="auto" value="${values.name}" ${invalid('name')} />`)}
    ${field(
      'entities',
      'Entities (any number)',
      html`<select name="entities" multiple size="8" ${invalid('entities')}>
        ${kinds.map(
          (kind) =>
            html`<optgroup label="${kind}">
              ${data.entities
                .filter((e) => e.kind === kind)
                .map((e) => option(e.id, `${e.name} (${e.id})`, values.entities.includes(e.id)))}
            </optgroup>`,
        )}
      </select>`,
    )}
    ${field(
      'entityMatch',
      'The article names',
      html`<select name="entityMatch" ${invalid('entityMatch')}>
        ${option('any', 'any of the entities', values.entityMatch !== 'all')}
        ${option('all', 'all of the entities', values.entityMatch === 'all')}
      </select>`,
    )}
    ${field(
      'keywords',
      'Keywords, one per line (any of them; "a phrase" in quotes; Kuw* for a word that starts so)',
      html`<textarea name="keywords" rows="5" cols="40" dir="auto" ${invalid('keywords')}>
${values.keywords}</textarea>`,
    )}
    ${field(
      'language',
      'Language',
      html`<select name="language" ${invalid('language')}>
        ${option('', 'Arabic and English', values.language === '')}
        ${option('ar', 'Arabic only', values.language === 'ar')}
        ${option('en', 'English only', values.language === 'en')}
      </select>`,
    )}
    <button type="submit">Add watch</button>
  </form>`;
}

export function watchesPages(deps: OperatorDeps): FastifyPluginAsyncZod {
  const { admin } = deps.watches;
  const pageData = async (): Promise<PageData> => {
    const declared = deps.subscribers.declared();
    const ids = new Set(declared.map((s) => s.id));
    const runtime = (await deps.subscribers.store.list()).filter((s) => !ids.has(s.id));
    return {
      watches: await admin.list(),
      subscribers: [...declared, ...runtime].map((s) => ({ id: s.id, name: s.name })),
      entities: deps.watches.entities(),
      nameOf: deps.entities.nameOf,
    };
  };
  const send = (reply: FastifyReply, status: number, body: Html) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(page({ title: 'Watches', path: '/watches', body }));

  return async (app) => {
    app.get('/watches', { schema: { hide: true, querystring: noQuery } }, async (_request, reply) =>
      send(reply, 200, watchesPage(await pageData(), emptyForm)),
    );

    app.post('/watches', { schema: { hide: true, querystring: noQuery } }, async (request, reply) => {
      const values = watchFormValues(request.body);
      try {
        const watch = await admin.create(watchInput(values));
        return reply.redirect(`/watches#${watch.id}`, 303);
      } catch (err) {
        if (!(err instanceof WatchAdminError)) throw err;
        return send(reply, err.status, watchesPage(await pageData(), values, err.problems));
      }
    });

    app.post(
      '/watches/:id/delete',
      { schema: { hide: true, querystring: noQuery, params: idParams } },
      async (request, reply) => {
        try {
          await admin.remove(request.params.id);
        } catch (err) {
          if (!(err instanceof WatchAdminError)) throw err;
          return send(
            reply,
            err.status,
            html`<section>
              <ul>
                ${err.problems.map((p) => html`<li class="error">${p.field}: ${p.message}</li>`)}
              </ul>
              <p><a href="/watches">Back</a></p>
            </section>`,
          );
        }
        return reply.redirect('/watches', 303);
      },
    );
  };
}

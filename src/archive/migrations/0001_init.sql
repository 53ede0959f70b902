-- The archive, first shape (issue 17): what newswatch read, what it made of it, and what it sent.
-- Full domain records are JSONB (they grow fields release by release); what queries filter and
-- sort on is also a column. Ids are the domain's deterministic ones, so a re-run writes nothing
-- twice. Records written by different stages carry each other's ids without foreign keys: the
-- stages write in their own order (an alert's attempt may be archived before the alert is).

-- One row per article: its latest version. `text` is cleared once `text_expires_at` passes
-- (the operator's retention); the title, links and dates stay.
CREATE TABLE articles (
  id text PRIMARY KEY,
  version integer NOT NULL CHECK (version >= 1),
  url text NOT NULL,
  canonical_url text,
  feed_id text,
  lang text NOT NULL,
  title text NOT NULL,
  text text,
  published timestamptz NOT NULL,
  -- the day the source dates it in its own time zone (ArticleInput.publishedDay)
  published_day date NOT NULL,
  fetched timestamptz NOT NULL,
  fingerprint text,
  -- gazetteer ids analysis found in it (Extraction.entities)
  entities text[] NOT NULL DEFAULT '{}',
  -- computed in TypeScript (src/archive/search-text.ts), `simple` lexemes of the normalised
  -- words: title words weighted A, text words D, so pruning the text keeps the title's
  search tsvector NOT NULL,
  text_expires_at timestamptz,
  text_pruned_at timestamptz,
  archived_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX articles_newest ON articles (published DESC, id DESC);
CREATE INDEX articles_feed ON articles (feed_id, published DESC, id DESC);
CREATE INDEX articles_search ON articles USING gin (search);
CREATE INDEX articles_entities ON articles USING gin (entities);
CREATE INDEX articles_fingerprint ON articles (fingerprint);
CREATE INDEX articles_canonical_url ON articles (canonical_url);
CREATE INDEX articles_text_expiry ON articles (text_expires_at) WHERE text IS NOT NULL;

CREATE TABLE events (
  id text PRIMARY KEY,
  type text NOT NULL,
  family text NOT NULL,
  historical boolean NOT NULL,
  date_from date NOT NULL,
  date_to date NOT NULL,
  participants text[] NOT NULL,
  record jsonb NOT NULL,
  archived_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX events_date ON events (date_from DESC, id DESC);
CREATE INDEX events_participants ON events USING gin (participants);

-- Which articles report which event (from EventRecord.sources).
CREATE TABLE article_events (
  article_id text NOT NULL,
  event_id text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  PRIMARY KEY (article_id, event_id)
);
CREATE INDEX article_events_event ON article_events (event_id);

CREATE TABLE expectations (
  id text PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('open', 'fulfilled', 'overdue', 'cancelled')),
  -- the article that stated it, and the one whose event fulfilled it
  article_id text NOT NULL,
  fulfilled_by_event text,
  fulfilled_by_article text,
  due_from date NOT NULL,
  due_to date NOT NULL,
  participants text[] NOT NULL,
  record jsonb NOT NULL,
  archived_at timestamptz NOT NULL,
  state_changed_at timestamptz NOT NULL
);
CREATE INDEX expectations_state ON expectations (state, due_to);
CREATE INDEX expectations_article ON expectations (article_id);
CREATE INDEX expectations_fulfilled_by_article ON expectations (fulfilled_by_article);
CREATE INDEX expectations_participants ON expectations USING gin (participants);

-- Every state an expectation has been in, in order (seq 1: the state it was first archived in).
CREATE TABLE expectation_states (
  expectation_id text NOT NULL REFERENCES expectations (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  state text NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (expectation_id, seq)
);

-- What analysis linked an article's reading to: an event (same_event, related) or an
-- expectation (fulfils), with the score and the reasons. `event_id` is the article's event that
-- matched ('' when the match is the article's as a whole).
CREATE TABLE matches (
  article_id text NOT NULL,
  event_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('same_event', 'fulfils', 'related')),
  target_id text NOT NULL,
  score double precision NOT NULL,
  reasons jsonb NOT NULL,
  archived_at timestamptz NOT NULL,
  PRIMARY KEY (article_id, event_id, kind, target_id)
);
CREATE INDEX matches_target ON matches (target_id);

CREATE TABLE alerts (
  id text PRIMARY KEY,
  kind text NOT NULL,
  created_at timestamptz NOT NULL,
  title text NOT NULL,
  event_id text,
  expectation_id text,
  -- the articles it tells of (Alert.sources)
  article_ids text[] NOT NULL,
  record jsonb NOT NULL
);
CREATE INDEX alerts_newest ON alerts (created_at DESC, id DESC);
CREATE INDEX alerts_kind ON alerts (kind, created_at DESC, id DESC);
CREATE INDEX alerts_articles ON alerts USING gin (article_ids);

-- Every attempt to deliver an alert: one row per (subscriber, channel, time, outcome), as the
-- delivery log in Redis records it, so archiving the same attempt again adds nothing.
CREATE TABLE delivery_attempts (
  alert_id text NOT NULL,
  subscriber_id text NOT NULL,
  channel text NOT NULL,
  at timestamptz NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('delivered', 'failed', 'skipped')),
  digest_id text,
  record jsonb NOT NULL,
  n bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (alert_id, subscriber_id, channel, at, outcome)
);
CREATE INDEX delivery_attempts_subscriber ON delivery_attempts (subscriber_id, at DESC);

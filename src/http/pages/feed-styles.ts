// The feed parts of the operator stylesheet (assets.ts serves it after the rest): values that
// must stay on one line, the add-feed form's hints, and its listing-page selectors, hidden by CSS
// alone until Type "listing page" is chosen (no script on these pages). A browser without :has()
// shows the selectors always, with their hint saying when they are read.
export const FEED_CSS = `.nowrap{white-space:nowrap}
.summary{margin:.2em 0 .7em}.summary .state{margin-inline-start:.2em}
.hint{display:block;font-size:.8em}
fieldset.html-only{border:1px solid #dde1e8;border-radius:4px;margin:.2em 0 .8em;padding:.3em .8em .5em}
fieldset.html-only legend{font-weight:600;padding:0 .3em}
@supports selector(:has(a)){#add-feed:not(:has(select[name=type] option[value=html]:checked)) .html-only{display:none}}
`;

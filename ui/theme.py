"""Look and behaviour of the page: a Gradio theme with system fonts only, our CSS and the two small
scripts run by the conversation and the source panel (passed to ``gr.HTML(js_on_load=…)``).

Nothing here loads anything from the network: the page renders fully offline.
"""
from __future__ import annotations

SANS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "Noto Sans",
        "Liberation Sans", "sans-serif"]
MONO = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"]


def theme():
    """Gradio's default theme with system fonts: no web font to fetch, from Google or elsewhere."""
    import gradio as gr

    return gr.themes.Default(primary_hue="blue", secondary_hue="slate", neutral_hue="slate",
                             font=SANS, font_mono=MONO)


# "Nouvelle conversation": the question box and the send button are held from the click until the
# reset is done. Gradio cancels the running answers in a request of its own, sent with the click; a
# question sent in between was cancelled with them and stayed pending for good.
_ASKING_JS = """() => {
  document.querySelectorAll('#dp-question textarea, #dp-send').forEach((el) => { el.disabled = %s; });
}"""
HOLD_ASKING_JS, RELEASE_ASKING_JS = _ASKING_JS % "true", _ASKING_JS % "false"

# The conversation: clicks on [n], on a source or on an example question become Python events.
CONVERSATION_JS = """
element.addEventListener('click', (e) => {
  const ex = e.target.closest('[data-example]');
  if (ex) { e.preventDefault(); trigger('example', {q: ex.dataset.example}); return; }
  const c = e.target.closest('[data-cite], [data-related]');
  if (!c) return;
  e.preventDefault();
  element.querySelectorAll('.dp-active').forEach((x) => x.classList.remove('dp-active'));
  c.classList.add('dp-active');
  trigger('cite', {turn: Number(c.dataset.turn), n: Number(c.dataset.cite || 0),
                   related: Number(c.dataset.related || 0)});
});
"""

# The source panel: after each new article, scroll the highlighted passage into view.
SOURCE_JS = """
const reveal = () => {
  const body = element.querySelector('.dp-article-body');
  const mark = element.querySelector('mark.dp-hl');
  if (!body || !mark) return;
  body.scrollTop = Math.max(0, mark.offsetTop - body.clientHeight / 3);
  const r = element.getBoundingClientRect();
  if (r.top < 0 || r.top > window.innerHeight - 80) element.scrollIntoView({block: 'start'});
};
watch('value', reveal);
reveal();
"""

CSS = """
#dp-top { align-items: center; }
#dp-new { align-self: center; }
.dp-header h1 { font-size: 1.35rem; margin: 0; }
.dp-header p { margin: .15rem 0 0; color: var(--body-text-color-subdued); font-size: .9rem; }
#dp-conv { min-height: 52vh; }
.dp-conv { display: flex; flex-direction: column; gap: 1rem; padding: .25rem .25rem 1rem; }
.dp-welcome { padding: 1.5rem 1rem; }
.dp-welcome h2 { font-size: 1.25rem; margin: 0 0 .5rem; }
.dp-welcome p { color: var(--body-text-color-subdued); max-width: 46rem; }
.dp-examples { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: 1rem; }
.dp-example { border: 1px solid var(--border-color-primary); border-radius: 999px; padding: .4rem .85rem;
  background: var(--background-fill-secondary); color: var(--body-text-color); cursor: pointer; font: inherit; }
.dp-example:hover, .dp-example:focus-visible { border-color: var(--color-accent); outline: none; }
.dp-q { align-self: flex-end; max-width: 85%; background: var(--color-accent-soft); border-radius: 14px 14px 2px 14px;
  padding: .55rem .85rem; white-space: pre-wrap; }
.dp-a { max-width: 100%; border-left: 3px solid var(--color-accent); padding: .15rem 0 .15rem .85rem; }
.dp-a.dp-abstained { border-left-color: #d97706; }
.dp-a.dp-error { border-left-color: #dc2626; color: #b91c1c; }
.dp-search { font-size: .8rem; color: var(--body-text-color-subdued); margin-bottom: .3rem; }
.dp-abstain-label { display: inline-block; font-size: .78rem; font-weight: 600; color: #92400e;
  background: #fef3c7; border-radius: 4px; padding: .05rem .4rem; margin-bottom: .35rem; }
.dp-text { white-space: pre-line; line-height: 1.55; }
.dp-text ul.dp-list { margin: .2rem 0; padding-left: 1.2rem; white-space: normal; }
.dp-text ul.dp-list li { margin: .15rem 0; }
.dp-text p.dp-para { margin: 0 0 .5rem; white-space: normal; }
a.dp-cite { display: inline-block; text-decoration: none; font-size: .78em; font-weight: 600; line-height: 1.2;
  padding: 0 .22em; margin: 0 .05em; border-radius: 4px; vertical-align: super;
  color: var(--color-accent); background: var(--color-accent-soft); cursor: pointer; }
a.dp-cite:hover, a.dp-cite:focus-visible, a.dp-cite.dp-active { background: #1d4ed8; color: #ffffff; outline: none; }
.dp-sources { list-style: none; margin: .55rem 0 0; padding: .45rem 0 0; border-top: 1px dashed var(--border-color-primary);
  font-size: .85rem; }
.dp-sources li { margin: .15rem 0; }
.dp-sources a.dp-cite { vertical-align: baseline; }
a.dp-src { color: var(--body-text-color); text-decoration: underline; text-decoration-color: var(--border-color-primary);
  cursor: pointer; }
a.dp-src:hover, a.dp-src.dp-active { text-decoration-color: var(--color-accent); }
.dp-date { color: var(--body-text-color-subdued); font-size: .85em; white-space: nowrap; }
.dp-related { margin-top: .6rem; font-size: .85rem; }
.dp-related-title { color: var(--body-text-color-subdued); margin-bottom: .25rem; }
.dp-related ul { margin: 0; padding-left: 1.1rem; }
.dp-snippet { color: var(--body-text-color-subdued); font-size: .95em; margin: .1rem 0 .35rem; }
.dp-dots::after { content: ' …'; animation: dp-blink 1.2s infinite; }
.dp-pending { color: var(--body-text-color-subdued); }
.dp-caret { display: inline-block; width: .5em; height: 1em; vertical-align: text-bottom;
  background: var(--color-accent); animation: dp-blink 1s steps(1) infinite; margin-left: 1px; }
@keyframes dp-blink { 50% { opacity: .25; } }
.dp-filters { font-size: .85rem; color: var(--body-text-color-subdued); padding: .2rem .1rem; }
.dp-filters-on { color: var(--body-text-color); }
.dp-filters-error { color: #b91c1c; }
#dp-side { position: sticky; top: .5rem; align-self: flex-start; }
.dp-article { border: 1px solid var(--border-color-primary); border-radius: var(--radius-lg); padding: .9rem 1rem;
  background: var(--background-fill-primary); }
.dp-article-empty { color: var(--body-text-color-subdued); min-height: 8rem; }
.dp-kicker { font-size: .75rem; text-transform: uppercase; letter-spacing: .04em; color: var(--color-accent); }
.dp-article-title { font-size: 1.1rem; margin: .15rem 0 .25rem; }
.dp-article-meta { font-size: .82rem; color: var(--body-text-color-subdued); margin-bottom: .6rem; word-break: break-all; }
.dp-article-body { position: relative; white-space: pre-wrap; line-height: 1.55; max-height: 68vh; overflow-y: auto;
  padding-right: .35rem; font-size: .93rem; }
mark.dp-hl { background: #fde68a; color: #111827; border-radius: 3px; padding: .05em 0; box-shadow: 0 0 0 2px #fde68a; }
.dp-cut { color: var(--body-text-color-subdued); }
"""

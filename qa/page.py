"""The page's look and behaviour: CSS and the few small scripts, apart from the markup.

Why a module of its own: qa/cards.py makes markup from records and app.py wires Gradio events;
the styles and scripts change for other reasons (a phone layout, a browser quirk) and are long
strings that would bury either. Nothing here knows a document.
"""
from __future__ import annotations


def copy_listener_js(target: str = "element", within: str | None = None) -> str:
    """JavaScript that makes every 复制引用 button under `target` (a JS expression: gr.HTML's
    `element`, or `document` for buttons that come and go, as in chat messages) copy its citation.

    The citation is the button's data-cite, or the text of its bar's .qa-cite-text when a
    sanitizer has dropped data-* attributes (the Chatbot's does). `within`: only buttons inside
    elements matching this CSS selector (so two listeners never handle one click).
    """
    scope = f" if (button && !button.closest('{within}')) {{ button = null; }}" if within else ""
    return f"""
{target}.addEventListener('click', function (event) {{
  var button = event.target.closest ? event.target.closest('.qa-copy') : null;{scope}
  if (!button) {{ return; }}
  event.preventDefault();
  var bar = button.closest('.qa-cite');
  var shown = bar ? bar.querySelector('.qa-cite-text') : null;
  var text = button.getAttribute('data-cite') || (shown ? shown.textContent : '') || '';
  function done() {{ button.textContent = '已复制'; setTimeout(function () {{ button.textContent = '复制引用'; }}, 1500); }}
  function fallback() {{
    var area = document.createElement('textarea');
    area.value = text; area.setAttribute('readonly', ''); area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.appendChild(area); area.select();
    try {{ document.execCommand('copy'); done(); }} catch (e) {{ button.textContent = '请手动复制'; }}
    document.body.removeChild(area);
  }}
  if (navigator.clipboard && window.isSecureContext) {{
    navigator.clipboard.writeText(text).then(done, fallback);
  }} else {{ fallback(); }}
}});
"""


COPY_JS = copy_listener_js("element")


CSS = """
.qa-chat, .qa-view, .qa-offices { font-size: 15px; line-height: 1.65; overflow-wrap: anywhere; }
.qa-empty p { color: var(--body-text-color-subdued, #666); margin: 0.4em 0; }
.qa-turn { padding: 0.4em 0 0.8em; border-bottom: 1px solid var(--border-color-primary, #e5e5e5); }
.qa-question { display: flex; gap: 0.5em; align-items: flex-start; margin: 0.4em 0; font-weight: 600; }
.qa-who { flex: none; background: var(--color-accent, #2563eb); color: #fff; border-radius: 4px;
  padding: 0 0.45em; font-size: 13px; line-height: 1.7; }
.qa-headline { margin: 0.3em 0 0.5em; font-size: 16px; }
.qa-reading { margin: 0 0 0.4em; font-size: 14px; border-left: 3px solid var(--color-accent, #2563eb);
  padding: 0.1em 0.5em; background: var(--color-accent-soft, #eff6ff); border-radius: 0 4px 4px 0; }
.qa-reading-label { font-weight: 600; color: var(--body-text-color-subdued, #555); }
.qa-notfound .qa-headline { border-left: 4px solid #d97706; padding-left: 0.6em; }
.qa-value strong { font-size: 18px; }
.qa-card { border: 1px solid var(--border-color-primary, #ddd); border-radius: 8px; padding: 0.6em 0.8em;
  margin: 0.5em 0; background: var(--block-background-fill, #fff); }
.qa-top { border-left: 4px solid var(--color-accent, #2563eb); }
.qa-card-inner { margin: 0.3em 0 0.2em; }
.qa-doc { font-size: 13px; font-weight: 600; margin-bottom: 0.2em; }
.qa-path { font-size: 13px; color: var(--body-text-color-subdued, #555); margin-bottom: 0.3em; }
.qa-text { white-space: pre-wrap; }
.qa-text mark { background: #fde68a; color: #111; padding: 0 1px; border-radius: 2px; }
.qa-tags { display: flex; flex-wrap: wrap; gap: 0.3em; align-items: center; margin: 0.5em 0 0.2em; }
.qa-tags-label { font-size: 13px; color: var(--body-text-color-subdued, #555); margin-right: 0.2em; }
.qa-tag { display: inline-block; border: 1px solid #93c5fd; background: #eff6ff; color: #1e3a8a;
  border-radius: 999px; padding: 0 0.6em; font-size: 13px; line-height: 1.8; white-space: nowrap; }
.qa-cite { display: flex; flex-wrap: wrap; gap: 0.4em; align-items: center; margin-top: 0.4em; font-size: 13px; }
.qa-cite-text { user-select: all; white-space: normal; font-size: 12px; padding: 0.1em 0.3em; }
.qa-copy, .qa-open { border: 1px solid var(--border-color-primary, #ccc); border-radius: 6px; padding: 0.15em 0.6em;
  background: var(--button-secondary-background-fill, #f3f4f6); color: inherit; cursor: pointer; font-size: 13px;
  text-decoration: none; min-height: 30px; display: inline-flex; align-items: center; }
.qa-related-list h4, .qa-children h4 { margin: 0.8em 0 0.3em; font-size: 14px; }
.qa-related, .qa-office, .qa-full { border: 1px solid var(--border-color-primary, #e5e5e5); border-radius: 6px;
  padding: 0.3em 0.6em; margin: 0.3em 0; }
.qa-related summary, .qa-office summary, .qa-full summary { cursor: pointer; }
.qa-summary-path { display: block; font-size: 12px; color: var(--body-text-color-subdued, #666); margin-left: 1em; }
.qa-fullname { margin: 0 0.5em; }
.qa-count { font-size: 12px; color: var(--body-text-color-subdued, #666); }
.qa-aliases { font-size: 13px; margin: 0.3em 0; }
.qa-office-clauses { margin: 0.2em 0 0.4em 1.2em; padding: 0; }
.qa-table-wrap { overflow-x: auto; }
.qa-hint { display: none; font-size: 12px; color: var(--body-text-color-subdued, #666); margin: 0.2em 0; }
@media (max-width: 640px) { .qa-hint { display: block; } }
.qa-table { border-collapse: collapse; font-size: 13px; min-width: 100%; }
.qa-table th, .qa-table td { border: 1px solid var(--border-color-primary, #ddd); padding: 0.25em 0.45em; text-align: left; }
.qa-indicators th { min-width: 4.5em; vertical-align: bottom; }
.qa-indicators th[scope=row] { min-width: 10em; vertical-align: middle; }
.qa-indicators td { text-align: right; white-space: nowrap; }
.qa-chart { max-width: 560px; display: block; }
.qa-chart text { font-size: 10.5px; fill: var(--body-text-color, #222); }
.qa-chart .qa-svg-name { font-size: 11.5px; font-weight: 600; }
.qa-chart .qa-svg-target { fill: #d62728; }
"""

# After a turn, scroll the conversation so the newest question sits at its top and its answer
# reads from the start (Gradio's autoscroll would show only the end of a long card).
SHOW_NEWEST_JS = """() => { setTimeout(function () {
  var log = document.querySelector('#qa-chat [role="log"]');
  var rows = log ? log.querySelectorAll('.message-row.user-row') : [];
  var last = rows[rows.length - 1];
  if (last) { log.scrollTop += last.getBoundingClientRect().top - log.getBoundingClientRect().top - 40; }
}, 80); }"""
LAYOUT_CSS = """
#qa-chat .qa-answer { min-width: 0; }
#qa-chat .qa-headline { margin-top: 0; }
#qa-ask { white-space: nowrap; flex: none; }
#qa-chat .options { display: flex; flex-wrap: wrap; justify-content: flex-start; gap: 6px; margin: 0;
  padding: 2px 12px 12px; max-width: 100%; }
#qa-chat .options .option { width: auto; max-width: 100%; flex: none; padding: 4px 12px; border-radius: 999px;
  border: 1px solid var(--border-color-accent, #93c5fd); background: var(--color-accent-soft, #eff6ff);
  white-space: normal; text-align: left; font-size: 14px; }
#qa-clear { align-self: flex-start; }
.qa-ask-row { align-items: flex-end; }
.qa-outline { max-height: 62vh; overflow-y: auto; }
.qa-outline .wrap { flex-direction: column; align-items: stretch; gap: 2px !important; }
.qa-outline label { width: 100%; white-space: pre-wrap; justify-content: flex-start; padding: 3px 8px !important;
  border: none !important; box-shadow: none !important; font-size: 14px; }
.qa-outline label.selected { background: var(--color-accent-soft, #eef) !important; }
@media (max-width: 640px) {
  #qa-chat { height: 64vh !important; }
  #qa-chat .message-row.bubble { margin: 8px 2px 6px !important; }
  #qa-chat .message-row.bubble.bot-row { max-width: 100% !important; }
  #qa-chat .message.bot { padding: 4px 8px !important; }
  #qa-chat .qa-card { padding: 0.5em 0.6em; }
  #qa-chat .options { padding: 2px 4px 10px; }
  #qa-chat .examples { grid-template-columns: 1fr !important; }
  .qa-ask-row { flex-wrap: nowrap !important; gap: 6px !important; }
  .qa-ask-row > * { min-width: 0 !important; }
  .qa-outline { max-height: 42vh; }
  .qa-title h1 { font-size: 18px; }
  .qa-title p { margin: 0; font-size: 13px; }
  button[role="tab"] { padding-left: 8px !important; padding-right: 8px !important; }
}
"""

# Gradio scopes custom CSS to its content area; the page margins need a plain <style> in <head>.
HEAD = ('<meta name="viewport" content="width=device-width, initial-scale=1">'
             "<style>@media (max-width: 640px) { .gradio-container .main { padding: 8px 6px !important; } }</style>")
# The copy buttons inside chat messages: one listener for the whole page (messages come and go).
PAGE_JS = "() => { " + copy_listener_js("document", "#qa-chat") + " }"

"""`depeche chat`: the Gradio page around :class:`ui.chat.Chat`, and the server that runs it.

Safe by default: binds 127.0.0.1 unless --host says otherwise, optional login (--auth or
DEPECHE_AUTH), never a public share link, no analytics, no monitoring page, nothing fetched from
the internet. One engine, loaded and warmed up once, serves every session through Gradio's queue.
"""
import depeche.offline  # noqa: F401  (no telemetry, offline hubs: before gradio is imported)

import ipaddress
import logging
import sys
from typing import Any

from depeche.errors import DepecheError
from depeche.settings import Settings
from ui import guard, render, theme
from ui.guard import date_field
from ui.chat import Chat
from ui.errors import user_message

ASK_CONCURRENCY = 8  # sessions streaming at once; the CPU part is further limited by Chat's slots
QUEUE_MAX = 256  # waiting requests beyond this are refused with a "too busy" message

log = logging.getLogger("depeche.chat")


def parse_auth(value: str) -> tuple[str, str] | None:
    """'user:password' -> (user, password); '' -> None; anything else -> DepecheError."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise DepecheError("--auth (or DEPECHE_AUTH) must be USER:PASSWORD, both non-empty.")
    return user, password


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def build_app(engine, chat: Chat | None = None):
    """The page: conversation, question box, filters, source panel. Returns a gr.Blocks."""
    import gradio as gr

    chat = chat or Chat(engine)

    def ask(question, turns, since, until, articles):
        # The box is emptied once, at the start: what the user types while the answer streams stays.
        for i, state in enumerate(chat.ask(question, turns, since, until, articles)):
            yield chat.conversation(state), state, ("" if i == 0 else gr.skip())

    def ask_example(turns, since, until, articles, evt: gr.EventData):
        yield from ask(getattr(evt, "q", ""), turns, since, until, articles)

    def show_source(turns, evt: gr.EventData):
        data = getattr(evt, "_data", None) or {}
        return chat.source(turns, data.get("turn", -1), data.get("n", 0), data.get("related", 0))

    def new_conversation():
        return chat.conversation([]), [], "", render.source_placeholder()

    def refresh():
        return gr.Dropdown(choices=chat.article_choices()), chat.conversation([])

    def find_articles(selected, evt: gr.KeyUpData):
        return gr.Dropdown(choices=chat.article_choices(evt.input_value, selected))

    def answer(question: str, since: str | None = None, until: str | None = None,
               article_ids: list[str] | None = None) -> dict:
        """Answer a question from the index. Returns exactly the object of `depeche ask --json`:
        question, answer, short_answer, abstained, citations, related, passages, search_query,
        timings_ms. since/until: YYYY-MM-DD; article_ids: only these articles."""
        try:
            return chat.answer_json(question, since, until, article_ids)
        except Exception as exc:  # noqa: BLE001 - one line for the caller, never a traceback
            raise gr.Error(user_message(exc), print_exception=False) from None

    with gr.Blocks(title="Dépêche", analytics_enabled=False) as app:
        turns = gr.State([])
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                with gr.Row(equal_height=False, elem_id="dp-top"):
                    gr.HTML('<div class="dp-header"><h1>Dépêche</h1><p>Questions sur les dépêches, '
                            'réponses prouvées par les passages cités.</p></div>', js_on_load=None, scale=4)
                    new = gr.Button("Nouvelle conversation", size="sm", variant="secondary", scale=0,
                                    min_width=180, elem_id="dp-new")
                conv = gr.HTML(chat.conversation([]), js_on_load=theme.CONVERSATION_JS, elem_id="dp-conv",
                               autoscroll=True, max_height="70vh")
                with gr.Row(equal_height=True):
                    question = gr.Textbox(show_label=False, placeholder="Posez une question sur les dépêches…",
                                          lines=1, max_lines=4, scale=8, elem_id="dp-question", autofocus=True,
                                          max_length=1000)
                    send = gr.Button("Envoyer", variant="primary", scale=1, min_width=90, elem_id="dp-send")
                filters_line = gr.HTML(chat.filters_view(None, None, []), elem_id="dp-filters", js_on_load=None)
                with gr.Accordion("Filtres : période et articles", open=False, elem_id="dp-filter-box"):
                    with gr.Row():
                        since = date_field(label="Du", include_time=False, type="string", elem_id="dp-since")
                        until = date_field(label="Au", include_time=False, type="string", elem_id="dp-until")
                    # Filled as the user types (titles searched on the server): the page and the API
                    # schema never list the whole index.
                    articles = gr.Dropdown(label="Articles (aucun = tous) : tapez un mot du titre",
                                           multiselect=True, choices=[], value=[], allow_custom_value=True,
                                           filterable=True, elem_id="dp-articles")
                    clear = gr.Button("Effacer les filtres", size="sm", elem_id="dp-clear-filters")
            with gr.Column(scale=2, min_width=340, elem_id="dp-side"):
                source = gr.HTML(render.source_placeholder(), js_on_load=theme.SOURCE_JS, elem_id="dp-source")

        chat_io = dict(inputs=[question, turns, since, until, articles], outputs=[conv, turns, question])
        asked = gr.on([question.submit, send.click], ask, **chat_io, api_name="ask",
                      concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask", show_progress="hidden")
        example = conv.example(ask_example, inputs=[turns, since, until, articles], outputs=[conv, turns, question],
                               api_visibility="private", concurrency_limit=ASK_CONCURRENCY,
                               concurrency_id="ask", show_progress="hidden")
        conv.cite(show_source, inputs=[turns], outputs=[source], api_visibility="private",
                  concurrency_limit=ASK_CONCURRENCY, show_progress="hidden")
        new.click(new_conversation, outputs=[conv, turns, question, source], cancels=[asked, example],
                  api_visibility="private", queue=False, js=theme.HOLD_ASKING_JS).then(
            None, js=theme.RELEASE_ASKING_JS, api_visibility="private", queue=False)
        gr.on([since.change, until.change, articles.change], chat.filters_view, inputs=[since, until, articles],
              outputs=filters_line, api_visibility="private", queue=False, show_progress="hidden")
        clear.click(lambda: (None, None, []), outputs=[since, until, articles], api_visibility="private",
                    queue=False)
        articles.key_up(find_articles, inputs=[articles], outputs=[articles], api_visibility="private",
                        queue=False, show_progress="hidden", trigger_mode="always_last")
        gr.api(answer, api_name="answer", concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask")
        app.load(refresh, outputs=[articles, conv], api_visibility="private", queue=False, show_progress="hidden")
    app.depeche_engine, app.depeche_chat = engine, chat
    return app


def launch_options(settings: Settings, *, block: bool = True, port: int | None = None) -> dict[str, Any]:
    """Everything given to Blocks.launch(): address, login, theme; never a share link."""
    from starlette.middleware import Middleware

    auth = parse_auth(settings.auth)
    return dict(
        server_name=settings.host or "127.0.0.1",
        server_port=port if port is not None else settings.port,
        share=False,
        auth=auth,
        auth_message="Dépêche : identifiez-vous." if auth else None,
        inbrowser=False,
        prevent_thread_lock=not block,
        show_error=False,
        quiet=True,  # our own one-line banner; not Gradio's hint about share links
        enable_monitoring=False,
        footer_links=["api", "settings"],
        ssr_mode=False,
        pwa=False,
        mcp_server=False,
        theme=theme.theme(),
        css=theme.CSS,
        max_file_size=guard.MAX_UPLOAD,  # the page takes no file: uploads are refused beyond this
        app_kwargs={"middleware": [Middleware(guard.Guard, throttle=guard.LoginThrottle())]},  # body cap, logins
    )


def launch(app, settings: Settings, *, block: bool = True, port: int | None = None):
    """Queue the app (one engine shared by all sessions) and serve it; returns (app, url).

    With ``block`` the call then serves until Ctrl+C, printing one line with the address first."""
    opts = launch_options(settings, block=False, port=port)
    app.queue(default_concurrency_limit=ASK_CONCURRENCY, max_size=QUEUE_MAX)
    try:
        app.launch(**opts)
    except OSError as exc:
        busy = "empty port" in str(exc) or "in use" in str(exc)
        reason = "that port is already in use" if busy else str(exc)
        raise DepecheError(f"Cannot serve on {opts['server_name']}:{opts['server_port']}: {reason}; "
                           "pass another --port (or DEPECHE_PORT), or stop the program using it.") from None
    engine = getattr(app, "depeche_engine", None)
    if engine is not None:  # `depeche ask` on this store now asks this server (depeche/warm.py)
        add_warm_route(app, engine, settings)
    if block:
        print(f"Dépêche chat on {app.local_url} (Ctrl+C to stop)", file=sys.stderr, flush=True)
        app.block_thread()
    return app, app.local_url


def add_warm_route(app, engine, settings: Settings) -> None:
    """POST /depeche/ask for `depeche ask` on the same machine, behind a token kept in the store's
    serving.json (mode 0600), which is removed when the server stops."""
    import atexit

    from fastapi import Request
    from fastapi.responses import JSONResponse
    from starlette.concurrency import run_in_threadpool

    from depeche import warm

    path, token = warm.publish(settings, app.local_url)
    chat = getattr(app, "depeche_chat", None)

    def answer(given, body):
        slots = getattr(chat, "_slots", None)
        if slots is not None and not slots.acquire(timeout=120):
            return 503, {"error": "busy"}
        try:
            return warm.handle(engine, token, given, body)
        finally:
            if slots is not None:
                slots.release()

    async def route(request: Request):
        status, out = await run_in_threadpool(answer, request.headers.get(warm.TOKEN_HEADER, ""), await request.body())
        return JSONResponse(out, status_code=status)

    app.server_app.add_api_route(warm.ROUTE, route, methods=["POST"], include_in_schema=False)
    app.depeche_unpublish = lambda: warm.unpublish(path, token)
    atexit.register(app.depeche_unpublish)


def serve(settings: Settings) -> None:
    """`depeche chat`: load and warm the engine once, then serve until interrupted."""
    from rag import followup
    from rag.engine import Engine

    parse_auth(settings.auth)  # a bad --auth fails before anything slow
    engine = Engine(settings)
    print("Loading the index and the models…", file=sys.stderr, flush=True)
    warm_up(engine)
    followup.warm_up()
    app = build_app(engine)
    host = settings.host or "127.0.0.1"
    if not is_loopback(host) and not settings.auth:
        print(f"warning: serving on {host} without --auth: anyone who can reach this address can use the chat.",
              file=sys.stderr)
    try:
        launch(app, settings, block=True)
    finally:
        getattr(app, "depeche_unpublish", lambda: None)()


def warm_up(engine) -> None:
    """Load index, models and answerer, and run one question, so the first user does not wait."""
    engine.warm_up()
    try:
        engine.ask("Qui a critiqué la rencontre ?")
    except DepecheError:
        pass

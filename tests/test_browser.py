"""The chat in a real headless Chromium (Debian's `chromium`, driven by Playwright, no browser
download): ask, read the streamed answer, click [n], see the cited sentence highlighted, ask a
follow-up; a hostile article shows as text and runs nothing; nothing is fetched from the internet.

The screenshot is saved in the test's temporary directory and its path printed (pytest -s or -rA).
"""
from __future__ import annotations

import shutil
import time

import pytest

from tests.conftest import CORPUS, chat_server

pytestmark = [pytest.mark.slow, pytest.mark.model]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FILES = ["000_1597ff3a76891786.txt", "007_climat-chine-etats-unis-accord-paris.txt",
         "014_psg-neymar-222-millions.txt", "022_colombie-ivan-duque-elu.txt"]
HOSTILE = """\
 date 2018-07-02 Festival <b>annulé</b> <script>window.__pwned = 1</script>
Source : javascript:window.__pwned=5

Le festival de jazz de Montreuil a été annulé lundi en raison d'une grève des techniciens du son, ont annoncé les organisateurs du festival.

Le programme annonçait <script>window.__pwned = 1</script> puis <img src=x onerror="window.__pwned = 2"> et un [lien vers la billetterie](javascript:window.__pwned=3) du festival de jazz.

Les billets du festival de jazz de Montreuil seront remboursés d'ici la fin du mois, a précisé la mairie.
"""
TIMEOUT_MS = 180_000

if CHROMIUM is None:
    pytest.skip("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it",
                allow_module_level=True)


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    from depeche.settings import Settings
    from index.builder import build_index

    root = tmp_path_factory.mktemp("browser-index")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in FILES:
        shutil.copy(CORPUS / name, corpus / name)
    (corpus / "099_festival-piege.txt").write_text(HOSTILE, encoding="utf-8")
    settings = Settings.from_mapping({"store": str(root / "store"), "corpus": [str(corpus)]})
    build_index(settings, progress=False)
    return settings


@pytest.fixture(scope="module")
def engine(small_index):
    from rag.engine import Engine
    from ui.app import warm_up

    e = Engine(small_index)
    warm_up(e)
    return e


@pytest.fixture(scope="module")
def chat_url(engine, small_index):
    from rag import followup

    followup.warm_up()
    with chat_server(engine, small_index) as (_, url):
        yield url


@pytest.fixture
def browser_page(tmp_path, chat_url):
    """A page in a fresh Chromium profile; every request off 127.0.0.1 is blocked and recorded."""
    from playwright.sync_api import sync_playwright

    outside, dialogs, errors = [], [], []

    def route(r):
        if r.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000}, locale="fr-FR")
        ctx.route("**/*", route)
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(chat_url)
        page.locator(".dp-welcome").wait_for()
        yield page, {"outside": outside, "dialogs": dialogs, "errors": errors}
        ctx.close()


def ask(page, question: str, *, click_send: bool = False) -> tuple[object, float, float]:
    """Type a question, send it; returns (the new turn, seconds to first streamed text, to full answer)."""
    before = page.locator("#dp-conv .dp-turn").count()
    box = page.locator("#dp-question textarea")
    box.fill(question)
    t0 = time.perf_counter()
    page.locator("#dp-send").click() if click_send else box.press("Enter")
    turn = page.locator("#dp-conv .dp-turn").nth(before)
    turn.locator(".dp-text, .dp-error").first.wait_for()
    t1 = time.perf_counter()
    turn.locator(".dp-done, .dp-error").first.wait_for()
    t2 = time.perf_counter()
    return turn, t1 - t0, t2 - t0


def norm(s: str) -> str:
    return " ".join(s.split())


def test_journalist_asks_reads_the_highlighted_source_and_follows_up(browser_page, engine, tmp_path):
    page, seen = browser_page
    assert page.locator(".dp-example", has_text="Qui a rencontré Kim Jong Un jeudi à Pékin ?").is_visible()
    assert page.locator(".dp-example", has_text="Who").count() == 1

    turn, first_token, full = ask(page, "Qui a rencontré Kim Jong Un jeudi à Pékin ?")
    assert page.locator("#dp-question textarea").input_value() == ""  # ready for the next question
    assert "Xi Jinping" in turn.locator(".dp-text").inner_text()
    assert turn.locator(".dp-sources li").count() >= 1
    expected = engine.ask("Qui a rencontré Kim Jong Un jeudi à Pékin ?")

    turn.locator(".dp-text a.dp-cite", has_text="[1]").first.click()
    mark = page.locator("#dp-source mark.dp-hl")
    mark.wait_for()
    assert norm(mark.inner_text()) == norm(expected.citations[0].quote)
    assert page.locator("#dp-source .dp-kicker").inner_text().strip().lower() == "source [1]"

    xi = next(c for c in expected.citations if "Xi Jinping" in c.quote)
    turn.locator(".dp-text a.dp-cite", has_text=f"[{xi.n}]").first.click()
    page.wait_for_function("document.querySelector('#dp-source mark.dp-hl')?.innerText.includes('Xi Jinping')")
    from playwright.sync_api import expect

    expect(page.locator("#dp-source mark.dp-hl")).to_be_in_viewport()  # scrolled into view

    follow, f_first, f_full = ask(page, "Et qu'a répondu la Chine ?", click_send=True)
    assert "Recherche :" in follow.locator(".dp-search").first.inner_text()
    assert follow.locator(".dp-error").count() == 0
    assert follow.locator(".dp-text a.dp-cite").count() >= 1
    follow.locator(".dp-text a.dp-cite").first.click()
    page.wait_for_function("document.querySelector('#dp-source .dp-kicker')?.innerText.includes('[1]')")
    page.locator("#dp-source mark.dp-hl").wait_for()

    shot = tmp_path / "chat.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"\nscreenshot: {shot}")
    print(f"first question: first streamed text {first_token:.2f}s, full answer {full:.2f}s; "
          f"follow-up: {f_first:.2f}s / {f_full:.2f}s")
    assert shot.stat().st_size > 10_000
    assert seen["outside"] == [], "the page tried to reach the internet"
    assert seen["errors"] == [] and seen["dialogs"] == []


def test_hostile_article_shows_as_text_and_runs_nothing(browser_page):
    page, seen = browser_page
    turn, _, _ = ask(page, "Pourquoi le festival de jazz de Montreuil a-t-il été annulé ?")
    link = turn.locator("a.dp-cite, a.dp-src")
    assert link.count() >= 1
    hostile = turn.locator("a.dp-src", has_text="Festival")
    (hostile.first if hostile.count() else link.first).click()
    page.wait_for_function("document.querySelector('#dp-source .dp-article-title')?.innerText.includes('Festival')")
    panel = page.locator("#dp-source")
    text = panel.inner_text()
    assert "<script>window.__pwned = 1</script>" in text
    assert 'onerror="window.__pwned = 2"' in text and "[lien vers la billetterie](javascript:" in text
    assert "javascript:window.__pwned=5" in text  # the bad source URL is shown, not linked
    assert panel.locator("script, img, b").count() == 0
    assert page.locator("#dp-conv script, #dp-conv img").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert seen["dialogs"] == [] and seen["errors"] == []


def test_abstention_is_shown_as_such_with_passages_to_read(browser_page):
    page, seen = browser_page
    # A question the corpus cannot answer and the answerer is known to abstain on: this test is about
    # how an abstention is shown. (Harder unanswerable questions are issue 4's, measured by eval.)
    turn, _, _ = ask(page, "Qui a gagné la Ligue des champions de handball féminin en 2031 ?")
    assert turn.locator(".dp-abstained .dp-abstain-label").inner_text() == "Pas de réponse dans le corpus"
    assert turn.locator(".dp-text a.dp-cite").count() == 0  # nothing is cited as proof
    assert turn.locator(".dp-sources").count() == 0
    assert turn.locator(".dp-related").count() == 1  # passages to read, or why there are none
    assert seen["errors"] == []


def test_new_conversation_clears_the_chat_and_examples_ask_directly(browser_page):
    page, seen = browser_page
    ask(page, "Combien le PSG a-t-il payé pour Neymar ?")
    page.locator("#dp-conv a.dp-cite").first.click()
    page.locator("#dp-source mark.dp-hl").wait_for()
    page.locator("#dp-new").click()
    page.locator(".dp-welcome").wait_for()
    assert page.locator("#dp-conv .dp-turn").count() == 0
    assert page.locator("#dp-source mark").count() == 0
    page.locator(".dp-example", has_text="Who").click()
    turn = page.locator("#dp-conv .dp-turn").first
    turn.locator(".dp-done").first.wait_for()
    assert turn.locator(".dp-search").count() == 0  # a fresh conversation: nothing to carry over
    assert turn.locator(".dp-error").count() == 0
    assert seen["outside"] == [] and seen["errors"] == []


def test_a_question_sent_right_after_a_new_conversation_is_answered_in_it(browser_page):
    page, seen = browser_page  # on a fresh page, where the race showed: the answer stayed pending for good
    page.locator("#dp-new").click()  # and at once the question: the reset's cancel must not take it
    box = page.locator("#dp-question textarea")
    box.fill("Qui a rencontré Kim Jong Un jeudi à Pékin ?")
    box.press("Enter")
    turn = page.locator("#dp-conv .dp-turn", has_text="Qui a rencontré Kim Jong Un")
    turn.locator(".dp-done").first.wait_for()
    assert page.locator("#dp-conv .dp-turn").count() == 1 and "Xi Jinping" in turn.inner_text()
    assert turn.locator(".dp-error").count() == 0 and seen["errors"] == []


def _opened(page, quote: str) -> None:
    """Wait until the source panel highlights ``quote`` (whitespace-insensitive)."""
    import json

    page.wait_for_function(
        "q => (document.querySelector('#dp-source mark.dp-hl')?.innerText || '').replace(/\\s+/g, ' ').trim() === q",
        arg=norm(quote))
    assert json.dumps(norm(page.locator("#dp-source mark.dp-hl").inner_text())) == json.dumps(norm(quote))


def test_a_list_and_a_summary_render_as_such_and_their_markers_open_the_right_sentences(browser_page, engine):
    page, seen = browser_page  # a fresh page is a new conversation
    q = "Quels dirigeants ont assisté au défilé militaire à Pékin ?"
    turn, _, _ = ask(page, q)
    expected = engine.ask(q)
    assert expected.shape == "list"
    items = turn.locator(".dp-text ul.dp-list li")
    assert items.count() >= 3
    for name in ("Xi Jinping", "Kim Jong Un", "Vladimir Poutine"):
        assert items.filter(has_text=name).count() == 1
    poutine = items.filter(has_text="Vladimir Poutine").first
    n = int(poutine.locator("a.dp-cite").first.inner_text().strip("[]"))
    poutine.locator("a.dp-cite").first.click()
    _opened(page, expected.citations[n - 1].quote)
    assert "Vladimir Poutine" in page.locator("#dp-source mark.dp-hl").inner_text()

    page.locator("#dp-new").click()
    page.locator(".dp-welcome").wait_for()
    q = "Résume la dépêche sur la rencontre entre Xi Jinping et Kim Jong Un."
    turn, _, _ = ask(page, q)
    expected = engine.ask(q)
    assert expected.shape == "summary"
    assert turn.locator(".dp-text p.dp-para").count() >= 1 and turn.locator(".dp-text ul").count() == 0
    markers = turn.locator(".dp-text a.dp-cite")
    assert markers.count() == len(expected.citations) >= 3
    for c in (expected.citations[0], expected.citations[-1]):
        turn.locator(".dp-text a.dp-cite", has_text=f"[{c.n}]").first.click()
        _opened(page, c.quote)
    assert seen["outside"] == [] and seen["errors"] == []

"""The app in a real browser: headless Debian chromium driven by playwright.

Starts ``streamlit run app.py`` on a free localhost port (temporary workspace, hashing
embedder), then as a researcher would: creates a project, uploads transcripts, runs the
analysis, opens the excerpt map on the Themes page (drawn on request), builds two segments from
needs themes (the form empty again between them) and sees both with members, renames one and
undoes it, exports the quote bank with its privacy notice in view and checks the downloaded
file, opens a quote in its transcript, and finds the map still open back on the Themes page. A
screenshot of each page goes to test-artifacts/ (git-ignored).

Skipped, with the reason, only where /usr/bin/chromium or the playwright package is missing
(``apt-get install -y chromium``; ``pip install playwright``; never ``playwright install``).
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.appserver import CHROMIUM, CHROMIUM_ARGS, ROOT, serve_app
from tests.conftest import SMALL_STUDY

SAMPLE_DIR = ROOT / "sample_transcripts"
ARTIFACTS = ROOT / "test-artifacts"
FILES = (*SMALL_STUDY, "participants.csv")
TIMEOUT_MS = 120_000

if not CHROMIUM.is_file():
    pytest.skip(
        f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is missing: pip install playwright"
)
expect = sync_api.expect
expect.set_options(timeout=20_000)  # a loaded CI machine is slower than expect's 5 s default


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by ``streamlit run app.py`` on localhost, with a fresh workspace."""
    with serve_app(tmp_path_factory.mktemp("browser-ws"), fake_embedder=True) as url:
        yield url


@pytest.fixture(scope="module")
def page(app_url: str):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, accept_downloads=True
        )
        tab = context.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        yield tab
        context.close()
        browser.close()


def settle(page, pause: float = 0.6) -> None:
    """Wait until the app has finished its current run (no 'Running…' indicator)."""
    time.sleep(pause)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS
    )
    time.sleep(0.3)


def shot(page, name: str) -> Path:
    """A screenshot of the whole page: the viewport is grown to the height of its content."""
    ARTIFACTS.mkdir(exist_ok=True)
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m ? m.scrollHeight : document.body.scrollHeight; }"
    )
    page.set_viewport_size({"width": 1400, "height": max(1000, min(int(height) + 40, 9000))})
    time.sleep(0.5)
    path = ARTIFACTS / f"browser-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    return path


def nav(page, title: str, heading: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible()
    settle(page)


def button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def open_options(page, opener, tries: int = 5):
    """Click ``opener`` (a selectbox or multiselect) and return the list's options. A click that
    lands while the app reruns can leave the list closed (the rerun redraws the widget): wait
    for the options and, when they do not come, close, settle and click again."""
    options = page.get_by_role("option")
    for _ in range(tries - 1):
        opener.click()
        try:
            options.first.wait_for(state="visible", timeout=5_000)
            return options
        except sync_api.TimeoutError:
            page.keyboard.press("Escape")
            settle(page)
    opener.click()
    return options


def build_segment(page, name, themes, label: str, *, skip: int) -> None:
    """Name a segment, pick two needs themes (after ``skip`` others), create it."""
    expect(page.get_by_text("Build segments")).to_be_visible()
    if not name.is_visible():
        page.get_by_text("Build segments").click()
    name.fill(label)
    name.press("Enter")
    settle(page)
    for _ in range(2):
        # The first option of a multiselect is "Select all": take the themes after it.
        options = open_options(page, themes.locator("input"))
        options.filter(has_not_text="Select all").nth(skip).click()
        page.keyboard.press("Escape")
        settle(page)
    expect(themes.locator("[data-tag]")).to_have_count(2)
    button(page, "Create segment").click()
    expect(page.get_by_text(f"Segment “{label}” created from 2 theme(s).")).to_be_visible()
    settle(page)


def members(page, segment: str) -> int:
    """Open a segment's profile and read its number of participants."""
    box = page.get_by_label("Segment profile", exact=True)
    box.click()
    box.press_sequentially(segment)  # typed: the list filters to the one segment
    page.keyboard.press("Enter")
    settle(page)
    expect(page.get_by_role("heading", name=segment)).to_be_visible()
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Participants").first
    return int(metric.locator('[data-testid="stMetricValue"]').inner_text().strip())


def test_researcher_workflow_in_a_browser(page, app_url: str):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Overview · sample-study")).to_be_visible()
    settle(page)
    expect(button(page, "Analyze now")).to_be_visible()
    shot(page, "1-overview")

    # A new project, created and opened from the sidebar.
    page.get_by_role("button", name="New project").click()
    page.get_by_label("Name", exact=True).fill("browser-study")
    page.get_by_label("Name", exact=True).press("Enter")
    settle(page)
    button(page, "Create project").click()
    expect(page.get_by_role("heading", name="Overview · browser-study")).to_be_visible()
    settle(page)
    page.keyboard.press("Escape")

    # Upload transcripts with participant metadata; one result per file.
    nav(page, "Import & participants", "Import & participants")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [str(SAMPLE_DIR / name) for name in FILES]
    )
    settle(page, 1.5)
    button(page, f"Import {len(FILES)} file(s)").click()
    expect(page.get_by_text("6 imported, 0 skipped, 0 failed.")).to_be_visible()
    settle(page)
    expect(page.get_by_text("6 transcripts, 6 participants.")).to_be_visible()
    shot(page, "2-import")

    # Analyze, with progress, and the run recorded.
    nav(page, "Analyze", "Analyze")
    button(page, "Analyze").click()
    # analysis (with name detection) takes longer than expect's default 5 s on a busy machine
    expect(page.get_by_text("Analysis done (run 1)").first).to_be_visible(timeout=TIMEOUT_MS)
    settle(page)
    shot(page, "3-analyze")

    nav(page, "Themes", "Themes")
    expect(page.get_by_role("tab", name="Needs & outcomes", exact=False)).to_be_visible()
    # The excerpt map is drawn on request: closed at first, drawn when its expander is opened.
    chart = page.locator('[data-testid="stVegaLiteChart"]')
    expect(page.get_by_text("Map of the excerpts", exact=True)).to_be_visible()
    expect(chart).to_have_count(0)
    page.get_by_text("Map of the excerpts", exact=True).click()
    expect(chart.first).to_be_visible()
    settle(page)
    shot(page, "4-themes")

    # Six interviews with the hashing embedder hold no stable grouping: the page says so and
    # suggests nothing. Build a segment from two needs themes and open its profile.
    nav(page, "Segments", "Segments")
    expect(page.get_by_text("No clear segmentation", exact=False).first).to_be_visible()
    expect(page.get_by_text("Other ways to group these participants")).to_be_visible()
    shot(page, "5a-no-clear-segmentation")
    settle(page)
    name = page.get_by_label("Segment name", exact=True)
    if not name.is_visible():
        page.get_by_text("Build segments").click()
    themes = page.locator('[data-testid="stMultiSelect"]').filter(
        has_text="Needs and psychographic themes that define it"
    )
    build_segment(page, name, themes, "Browser segment", skip=0)
    # The form is empty again: the second segment inherits neither name nor themes.
    expect(name).to_have_value("")
    expect(themes.locator("[data-tag]")).to_have_count(0)
    build_segment(page, name, themes, "Second segment", skip=2)
    sizes = {
        segment: members(page, segment)
        for segment in ("S2 · Second segment", "S1 · Browser segment")
    }
    shot(page, "5-two-segments")
    assert all(n > 0 for n in sizes.values()), sizes  # both keep who voices their themes
    expect(page.get_by_role("heading", name="Is it a real segment?")).to_be_visible()
    expect(page.get_by_text("Measurable", exact=True)).to_be_visible()
    expect(page.get_by_text("No participant metadata")).to_have_count(0)
    shot(page, "5-segment-profile")

    # Edit (rename S1), then undo: every control shows the name of the moment.
    box = page.get_by_label("Rename to", exact=True)
    expect(box).to_have_value("Browser segment")
    box.fill("Renamed segment")
    box.press("Enter")
    settle(page)
    button(page, "Rename").click()
    expect(page.get_by_text("Renamed S1 to “Renamed segment”.")).to_be_visible()
    settle(page)
    expect(page.get_by_role("heading", name="S1 · Renamed segment")).to_be_visible()
    expect(box).to_have_value("Renamed segment")
    shot(page, "5b-renamed")
    button(page, "Undo last edit").click()
    expect(page.get_by_text("Undone: renamed segment S1 to “Renamed segment”.")).to_be_visible()
    settle(page)
    expect(page.get_by_role("heading", name="S1 · Browser segment")).to_be_visible()
    expect(box).to_have_value("Browser segment")
    shot(page, "5c-undone")

    # Export the quote bank and check the file; the page says the download is pseudonymised.
    nav(page, "Quote bank", "Quote bank")
    expect(page.get_by_text("Downloads are pseudonymised", exact=False).first).to_be_visible()
    with page.expect_download() as download_info:
        button(page, "Export CSV").click()
    download = download_info.value
    assert download.suggested_filename == "browser-study-quotes.csv"
    content = Path(download.path()).read_text("utf-8")
    (ARTIFACTS / "browser-quotes.csv").write_text(content, "utf-8")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert rows, "the export holds the quotes"
    assert {"excerpt_id", "text", "participant", "segment", "theme_labels", "industry"} <= set(
        rows[0]
    )
    # downloads leave the tool pseudonymised (the project's default)
    people = {r["participant"] for r in rows}
    assert people and all(re.fullmatch(r"Participant \d+", p) for p in people), people
    assert "Priya Raman" not in content and "Lukas Novak" not in content
    assert all(r["text"][:1] not in ("=", "+", "-", "@") for r in rows)
    assert any("invoice" in r["text"].lower() for r in rows)
    shown = page.get_by_text(re.compile(r"^\d+ of \d+ quotes$")).first.inner_text()
    assert shown.startswith(f"{len(rows)} of "), shown
    shot(page, "6-quote-bank")

    # A quote opens its transcript at its place.
    page.get_by_role("button", name="Open in transcript").first.click()
    expect(page.get_by_role("heading", name="Transcript reader")).to_be_visible()
    expect(page.get_by_text("At the excerpt")).to_be_visible()
    settle(page)
    expect(page.locator("mark.qs-target").first).to_be_visible()
    shot(page, "7-reader")

    # Back on the Themes page after four other pages, the map is still open and drawn.
    nav(page, "Themes", "Themes")
    expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible()

"""Helpers for the AppTest tests: open the app on a page, read its texts, find widgets."""

from __future__ import annotations

from pathlib import Path

from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from qualseg import service
from qualseg.store import ProjectStore
from tests.conftest import SAMPLE_DIR, SMALL_STUDY

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SMALL = "small"
RAW = "small-raw"
FILES = SMALL_STUDY


def sample_files(*names: str) -> list[tuple[str, bytes]]:
    return [(n, (SAMPLE_DIR / n).read_bytes()) for n in names]


def open_app(page: str | None = None, project: str | None = SMALL, timeout: float = 120) -> AppTest:
    """Run the app once, on ``project`` and ``page`` (a key of qualseg.ui.nav.PAGES)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if project:
        at.session_state["project"] = project
    if page:
        at.session_state["goto"] = page
    return at.run()


def go(at: AppTest, page: str) -> AppTest:
    """Move a running app to another page (as a sidebar click would)."""
    at.session_state["goto"] = page
    return at.run()


def reopen(root: Path, project: str = SMALL) -> ProjectStore:
    """A new store object on the project's folder: what a restarted app would read."""
    return ProjectStore(root / project)


def state(root: Path, project: str = SMALL) -> service.StudyState:
    study = service.current_state(reopen(root, project))
    assert study is not None
    return study


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def button(at: AppTest, label: str, nth: int = 0):
    found = [b for b in at.button if b.label == label]
    assert len(found) > nth, f"no button {label!r}: {[b.label for b in at.button]}"
    return found[nth]


def by_key(widgets, key: str):
    found = [w for w in widgets if w.key == key]
    assert found, f"no widget with key {key!r}: {[w.key for w in widgets]}"
    return found[0]


def texts(at: AppTest) -> str:
    """Every markdown, caption, info, success, warning and error text of the page."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    for kind in ("info", "success", "warning", "error"):
        parts += [e.value for e in getattr(at, kind)]
    return "\n".join(parts)


def html(at: AppTest) -> str:
    return "\n".join(e.proto.body for e in at.get("html"))


def table(at: AppTest, *columns: str):
    """The first table (st.dataframe or st.data_editor) holding all these columns."""
    for frame in at.dataframe:
        value = frame.value
        if set(columns) <= set(value.columns):
            return value
    raise AssertionError(
        f"no table with columns {columns}: {[list(f.value.columns) for f in at.dataframe]}"
    )


def expanders(at: AppTest, label: str) -> list:
    """The expanders of the page with this label."""
    return [e for e in at.expander if e.label == label]


def toggle_expander(at: AppTest, label: str, *, open: bool = True) -> AppTest:
    """Open (or close) a stateful expander (``on_change`` set) as a click in the browser does,
    then run: its new state goes to the run as the widget's value, so its ``on_change`` callback
    runs. AppTest has no click for an expander; this hands the run what the browser would."""
    found = [e for e in expanders(at, label) if e.proto.id]
    assert len(found) == 1, (
        f"no single stateful expander {label!r}: {[e.label for e in at.expander]}"
    )
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=found[0].proto.id, bool_value=open))
    return at._run(states)

"""qualseg's Streamlit app: ``streamlit run app.py``. Thin: navigation over qualseg.ui.pages."""

from __future__ import annotations

import streamlit as st

from qualseg.ui import components, nav

st.set_page_config(page_title="qualseg", page_icon="🧭", layout="wide")
page = nav.navigation()
nav.follow_request()
components.project_sidebar()
components.style()
components.apply_resets()
page.run()

"""qualseg's Streamlit app: ``streamlit run app.py``. Thin: navigation over qualseg.ui.pages."""

from __future__ import annotations

import streamlit as st

from qualseg.ui.pages import participants

st.set_page_config(page_title="qualseg", page_icon="🧭", layout="wide")
st.navigation([st.Page(participants.render, title="Participants", url_path="participants")]).run()

"""The Streamlit user interface. The only part of qualseg that imports streamlit."""

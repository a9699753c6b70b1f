"""Reusable Streamlit widgets. Each owns its session-state keys; none runs SQL (they call storage)."""

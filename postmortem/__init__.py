"""Debrief's domain: the post-mortem document and the rules about it. No Streamlit, no SQL."""

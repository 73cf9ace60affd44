"""Waits for its kg.decide function: the page says so rather than showing a half answer."""

from __future__ import annotations

import streamlit as st

st.title(st.session_state.get("_page_title", "Not ready yet"))
st.info(
    "This page answers from kg.decide's decision-support functions, which are not in this version "
    "yet. Every other page works.",
    icon=":material/construction:",
)

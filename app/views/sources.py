"""Sources: read a council's document as received, every evidence span highlighted by kind; a
statement anywhere in the app links here (council, start, end) and the page opens on its quote,
with the passage around it."""

from __future__ import annotations

import html
from functools import lru_cache

import pandas as pd
import streamlit as st

import ui
from kg.sources import Source, load_sources

# One colour per kind of statement (light enough to read black text on).
PALETTE = [
    "#c8e6c9", "#ffcdd2", "#bbdefb", "#ffe0b2", "#e1bee7", "#b2ebf2", "#f0f4c3",
    "#d7ccc8", "#f8bbd0", "#c5cae9", "#dcedc8", "#ffecb3", "#b2dfdb", "#cfd8dc", "#fff9c4",
]  # fmt: skip


TARGET_STYLE = "background:#ffe082;outline:2px solid #d84315"
TEXT_STYLE = "white-space:pre-wrap;line-height:1.6"


@lru_cache(maxsize=1)
def documents() -> dict[str, Source]:
    return load_sources()


def colours() -> dict[str, str]:
    return {kind: PALETTE[i % len(PALETTE)] for i, kind in enumerate(ui.ids("kind"))}


def passage_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph holding a quote: from the blank line before it to the blank line after it."""
    before = max(text.rfind("\n\n", 0, start), text.rfind("\n\r\n", 0, start))
    after = [i for i in (text.find("\n\n", end), text.find("\r\n\r\n", end)) if i >= 0]
    low = before + 1 if before >= 0 else 0
    high = min(after) if after else len(text)
    # A very long paragraph is cut to a few sentences either side.
    return max(low, start - 600), min(high, end + 600)


def highlighted(text: str, spans: pd.DataFrame, tint: dict[str, str], target: tuple[int, int] | None) -> str:
    """The document as HTML: each stretch of text marked with the kinds of evidence covering it."""
    cuts = {0, len(text)}
    for start, end in zip(spans["start"], spans["end"]):
        cuts.update((int(start), int(end)))
    if target:
        cuts.update(target)
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    out = []
    for low, high in zip(points, points[1:]):
        piece = html.escape(text[low:high])
        covering = spans[(spans["start"] <= low) & (spans["end"] >= high)]
        is_target = target is not None and target[0] <= low and high <= target[1]
        if covering.empty and not is_target:
            out.append(piece)
            continue
        kinds = list(dict.fromkeys(covering["kind"]))
        title = "; ".join(ui.label("kind", k) for k in kinds) or "the quote"
        style = f"background:{tint.get(kinds[0], '#eeeeee')}" if kinds else "background:#fff59d"
        if is_target:
            style += ";" + TARGET_STYLE
        anchor = ' id="pk-target"' if is_target and low == target[0] else ""  # type: ignore[index]
        out.append(f'<mark{anchor} title="{html.escape(title)}" style="{style}">{piece}</mark>')
    return "".join(out)


st.title("Sources")
st.write(
    "Each council's document exactly as received. Every span the graph takes as evidence is "
    "highlighted by its kind; hover a highlight for its kind. Links from quotes elsewhere open the "
    "document here at the quote."
)

sources = documents()
councils = [c for c in ui.councils() if c in sources]
linked_council = st.query_params.get("council")
council = ui.url_choice("council", "Document", councils, councils[0], ui.council_name)
if council != linked_council:  # another document was chosen: the linked span belongs to the old one
    for name in ("start", "end"):
        st.query_params.pop(name, None)
source = sources[council]
spans = ui.ask("app-evidence-spans", council=council)
tint = colours()

target: tuple[int, int] | None = None
try:
    asked = (int(st.query_params.get("start", "")), int(st.query_params.get("end", "")))
except ValueError:
    asked = None
if "start" in st.query_params or "end" in st.query_params:
    if asked is None or not (0 <= asked[0] < asked[1] <= len(source.text)):
        st.error(
            f"The link asks for characters {st.query_params.get('start')}–{st.query_params.get('end')}, "
            f"which are not a span of {source.file} ({len(source.text)} characters): showing the whole "
            "document instead.",
            icon=":material/error:",
        )
    else:
        target = asked

left, right = st.columns([3, 2])
left.subheader(ui.council_name(council))
left.markdown(f"**{source.title}**")
left.caption(
    f"`{source.file}` · {len(source.text):,} characters · SHA-256 `{source.sha256[:16]}…` "
    f"· {len(spans)} evidence spans"
)
kinds_here = [k for k in ui.ids("kind") if k in set(spans["kind"])]
shown_kinds = ui.url_multi(
    "kind",
    "Highlight these kinds of statement",
    kinds_here,
    kinds_here,
    lambda k: ui.label("kind", k).capitalize(),
    right,
)
right.markdown(
    " ".join(
        f'<span style="background:{tint[k]};padding:1px 6px;border-radius:4px;margin-right:4px;'
        f'white-space:nowrap">{html.escape(ui.label("kind", k))}</span>'
        for k in shown_kinds
    )
    or "No kinds chosen: the text is shown without highlights.",
    unsafe_allow_html=True,
)

if target:
    start, end = target
    with st.container(border=True):
        st.markdown(f"**The quote, characters {start:,}–{end:,}** · § {ui.escape(source.section_at(start))}")
        low, high = passage_around(source.text, start, end)
        context = (
            ("…" if low > 0 else "")
            + html.escape(source.text[low:start])
            + f'<mark style="{TARGET_STYLE}">{html.escape(source.text[start:end])}</mark>'
            + html.escape(source.text[end:high])
            + ("…" if high < len(source.text) else "")
        )
        st.html(f'<div style="white-space:pre-wrap;line-height:1.6">{context}</div>')
        here = spans[(spans["start"] <= start) & (spans["end"] >= end)]
        if here.empty:
            st.caption("No statement of the graph rests on exactly these characters.")
        for _, row in here.iterrows():
            about = ui.subject_label(row["subject"]) if isinstance(row["subject"], str) else ""
            st.caption(
                f"Evidence for a {ui.label('kind', row['kind'])} statement"
                + (f" about {about}" if about else "")
                + f": “{ui.escape(row['text'])}”"
            )

st.subheader("The whole document")
body = highlighted(source.text, spans[spans["kind"].isin(shown_kinds)], tint, target)
scroll = (
    # Scroll the document's own box to the quote, leaving the page where it is (the quote and its
    # passage are shown above).
    "<script>const t = document.getElementById('pk-target'); let box = t && t.parentElement;"
    " while (box && box.scrollHeight <= box.clientHeight + 1) { box = box.parentElement; }"
    " if (t && box) { box.scrollTop += t.getBoundingClientRect().top - box.getBoundingClientRect().top"
    " - box.clientHeight / 3; }</script>"
    if target
    else ""
)
with st.container(height=640, border=True):
    st.html(
        f'<div class="pk-document" style="{TEXT_STYLE};font-size:0.95rem">{body}</div>' + scroll,
        unsafe_allow_javascript=True,
    )
missing = sorted(set(ui.councils()) - set(sources))
if missing:
    st.warning(f"No source document for {', '.join(map(ui.council_name, missing))}.")
ui.keep("start", target[0] if target else "")
ui.keep("end", target[1] if target else "")

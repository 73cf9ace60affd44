"""What every page shares: the one way to the graph (kg.queries and kg.decide, cached), labels for
ids, choices kept in the URL, and the way a council's words are shown (quote, council, section,
link to its place in the document) or its silence ("not stated").

No page reads the graph any other way: every figure comes from a library query, an ad-hoc query
sent through kg.queries (the runner the CLI uses) or kg.decide, which reads through kg.queries.
"""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path
from typing import Any, Iterable

import pandas as pd
import streamlit as st

from kg import queries
from kg.decide import NOTICE
from kg.errors import KGError
from kg.store import data_dir, nquads_path
from kg.vocab import PREFIXES

__all__ = ["KGError", "NOTICE"]

NOT_STATED = "not stated"
OUR_ANNOTATION = "Our annotation (permanence-kg), not the council's words"


class GraphMissing(Exception):
    """The built graph is absent and could not be built here."""


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def graph_location() -> tuple[str, float]:
    """The built graph's directory and the time it was written; builds it when it is absent.

    The time is part of every cache key, so a rebuilt graph is never answered from stale results.
    """
    nq = nquads_path()
    if not nq.is_file():
        directory = data_dir()
        with st.spinner(f"No built graph at {directory}: building it from the shipped sources…"):
            from kg.build import build

            try:
                build(Path(directory))
            except KGError as exc:
                raise GraphMissing(
                    f"There is no built graph at {directory} and building it failed: {one_line(exc)}. "
                    "Build it with `permanence-kg build` (or `make build`) and reload this page."
                ) from None
        st.toast(f"Built the graph into {directory} (`permanence-kg build` rebuilds it).")
    return str(data_dir()), nq.stat().st_mtime


@st.cache_data(show_spinner=False, max_entries=1024)
def _run(name: str, data: str, built: float, params: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    result = queries.run(name, data=data, limit=None, **dict(params))
    frame = pd.DataFrame(result.rows, columns=result.columns)
    frame.attrs["note"] = getattr(result, "note", "")
    return frame


def ask(name: str, **params: str) -> pd.DataFrame:
    """A library query's rows (cached on the query, its parameters and the graph's build time)."""
    data, built = graph_location()
    return _run(name, data, built, tuple(sorted((k, str(v)) for k, v in params.items())))


def ask_sparql(text: str, timeout: float, limit: int) -> tuple[pd.DataFrame, str]:
    """An ad-hoc read-only query: never cached, since the analyst may be timing it."""
    data, _ = graph_location()
    result = queries.sparql(text, data=data, timeout=timeout, limit=limit)
    return pd.DataFrame(result.rows, columns=result.columns), getattr(result, "note", "")


@st.cache_resource(show_spinner=False)  # shared, never copied: read thousands of times a run
def _labels(data: str, built: float) -> dict[tuple[str, str], str]:
    result = queries.run("app-labels", data=data, limit=None)
    return {(kind, ident): label for kind, ident, label in result.rows}


# The label table of the graph now served, looked up without Streamlit's cache machinery (which
# hashes the arguments on every call): a page asks for hundreds of labels a run.
_LABEL_TABLE: dict[tuple[str, float], dict[tuple[str, str], str]] = {}


def _label_table() -> dict[tuple[str, str], str]:
    key = graph_location()
    table = _LABEL_TABLE.get(key)
    if table is None:
        _LABEL_TABLE.clear()
        table = _LABEL_TABLE[key] = _labels(*key)
    return table


def label(kind: str, ident: Any) -> str:
    """The label of an option, order, council, statement kind or concept id (the id if unknown)."""
    if ident is None or (isinstance(ident, float) and pd.isna(ident)) or ident == "":
        return ""
    return _label_table().get((kind, str(ident)), str(ident))


def labels(kind: str, joined: Any) -> str:
    """Labels for ids joined by '|' (a query's per-statement list), joined by ', '."""
    if not isinstance(joined, str) or not joined:
        return ""
    return ", ".join(label(kind, part) for part in joined.split("|"))


def subject_label(ident: Any) -> str:
    """An option's or an order's label: subjects of statements are one or the other."""
    named = label("option", ident)
    return label("order", ident) if named == ident else named


def ids(kind: str) -> list[str]:
    """Every id of one type (council, option, order, kind or a concept scheme), in label order."""
    known = _label_table()
    return sorted((i for k, i in known if k == kind), key=lambda i: known[(kind, i)].lower())


def councils() -> list[str]:
    """Council ids in the order the documents are usually discussed (by name)."""
    return ids("council")


# Councils a page lays out side by side (cards, columns) before the reader chooses: every one of the
# five sources; at national scale (150) the first ten.
COUNCILS_SHOWN_AT_FIRST = 10
_SMALL_NUMBERS = "no one two three four five six seven eight nine ten".split()


def how_many_councils() -> str:
    """How many councils the graph holds, in words up to ten ("five"): the app names no number of
    its own, so a graph of every English council is not called five."""
    n = len(councils())
    return _SMALL_NUMBERS[n] if n < len(_SMALL_NUMBERS) else f"{n:,}"


def council_name(ident: Any) -> str:
    return label("council", ident)


def short_council_name(ident: Any) -> str:
    """'Medway', 'Enfield': the place, where space is short."""
    name = council_name(ident)
    return re.sub(r"^London Borough of |( County)? Council$", "", name)


def escape(text: str) -> str:
    """Markdown-inert text: the quotes are verbatim and may hold *, _, $, # or <."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!$<>|~])", r"\\\1", " ".join(str(text).split()))


def quote(
    text: str, council: str | None = None, section: Any = None, note: str = "", container: Any = None
) -> None:
    """A council's own words, with who says them and where."""
    place = container or st
    place.markdown(f"> {escape(text)}")
    where = [council_name(council)] if council else []
    if isinstance(section, str) and section:
        where.append(f"§ {section}")
    if note:
        where.append(note)
    if where:
        place.caption(" · ".join(where))


def not_stated(what: str, container: Any = None) -> None:
    """A council's silence, shown as a gap rather than left out."""
    (container or st).markdown(f":gray-background[**{NOT_STATED.capitalize()}**] — {escape(what)}")


def annotation(text: str, container: Any = None) -> None:
    """Our own note about a council (from the ontology graph), never the council's words."""
    (container or st).info(f"**{OUR_ANNOTATION}.** {escape(text)}", icon=":material/edit_note:")


def month(value: Any) -> str:
    """'2023-03' as 'March 2023'."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}", value):
        return str(value or "")
    return date(int(value[:4]), int(value[5:]), 1).strftime("%B %Y")


def council_filter(key: str, default: Iterable[str] | None = None) -> list[str]:
    everyone = councils()
    chosen = st.multiselect(
        "Councils",
        everyone,
        default=list(default) if default is not None else everyone,
        format_func=council_name,
        key=key,
    )
    return [c for c in everyone if c in chosen]


def error(exc: BaseException) -> None:
    st.error(one_line(exc), icon=":material/error:")


def rows_of(frame: pd.DataFrame, column: str, value: Any) -> pd.DataFrame:
    return frame[frame[column] == value] if not frame.empty else frame


def present(frame: pd.DataFrame, column: str = "statement") -> pd.DataFrame:
    """Rows that carry a statement (the query's silence rows dropped)."""
    return frame[frame[column].notna()] if not frame.empty else frame


def options_with_labels(kind: str, blank: str | None = None) -> tuple[list[str], Any]:
    """Choices and a format function for a selectbox over ids of one type ('' shown as blank)."""
    choices = ([""] if blank is not None else []) + ids(kind)
    return choices, (lambda i: blank if i == "" else label(kind, i))


def age_range(age_from: Any, age_below: Any) -> str:
    """Bounds in years (from inclusive, below exclusive) as words."""
    low = None if pd.isna(age_from) else int(age_from)
    high = None if pd.isna(age_below) else int(age_below)
    if low is not None and high is not None:
        return f"aged {low} to under {high}"
    if high is not None:
        return f"under {high}"
    if low is not None:
        return f"{low} and over"
    return "no age given"


def statute(iri: Any) -> str:
    """A legislation.gov.uk identifier as a readable link: the statutes carry no label in the graph,
    so the path itself (type/year/chapter, section) is the name shown."""
    if not isinstance(iri, str) or not iri:
        return ""
    path = iri.split("/id/", 1)[-1]
    act, _, section = path.partition("/section/")
    text = f"{act} section {section}" if section else act
    return f"[{text}]({iri})"


def day(value: date) -> str:
    """A date as '1 April 2023'."""
    return f"{value.day} {value:%B %Y}"


def wide_text_columns(frame: pd.DataFrame) -> dict[str, Any]:
    """Column settings giving long-text columns (quotes, texts, descriptions) the most room."""
    wide = {}
    for column in frame.columns:
        values = frame[column].dropna().astype(str)
        if not values.empty and values.str.len().max() > 60:
            wide[column] = st.column_config.TextColumn(column, width="large")
    return wide


# --- Choices kept in the URL -------------------------------------------------------------------
# Each widget's first value comes from the URL's query string (under the CLI option's name), and
# every run writes the current choice back, so the address bar always reopens the view shown.


def _first_value(key: str, value: Any) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def keep(name: str, value: Any) -> None:
    """Write one choice to the URL (an empty choice is left out: it means 'any')."""
    if value is None or value == "" or value == []:
        if name in st.query_params:
            del st.query_params[name]
    elif isinstance(value, (list, tuple)):
        if st.query_params.get_all(name) != [str(v) for v in value]:
            st.query_params[name] = [str(v) for v in value]
    elif st.query_params.get(name) != str(value):
        st.query_params[name] = str(value)


def url_choice(
    name: str,
    label: str,
    choices: list[str],
    default: str,
    format_func: Any = str,
    container: Any = None,
    widget: str = "selectbox",
    **kw: Any,
) -> str:
    """A selectbox (or radio) whose choice is the URL parameter ``name``."""
    key = f"url-{name}"
    asked = st.query_params.get(name)
    _first_value(key, asked if asked in choices else default)
    if st.session_state[key] not in choices:
        st.session_state[key] = default
    make = getattr(container or st, widget)
    value = make(label, choices, format_func=format_func, key=key, **kw)
    keep(name, value)
    return value


def url_multi(
    name: str,
    label: str,
    choices: list[str],
    default: list[str],
    format_func: Any = str,
    container: Any = None,
    **kw: Any,
) -> list[str]:
    """A multiselect whose choices are the repeated URL parameter ``name``."""
    asked = st.query_params.get_all(name)
    chosen = _multiselect(name, label, choices, default, asked, format_func, container, kw)
    # The default (often "all") is left out of the URL: a short address reopens it just the same.
    keep(name, [] if set(chosen) == set(default) else chosen)
    return chosen


def _multiselect(
    name: str,
    label: str,
    choices: list[str],
    default: list[str],
    asked: list[str],
    format_func: Any,
    container: Any,
    kw: dict[str, Any],
) -> list[str]:
    """The multiselect behind url_multi and url_list, opened on the URL's valid values (else the
    default); its choices in the order of ``choices``."""
    key = f"url-{name}"
    _first_value(key, [v for v in asked if v in choices] or list(default))
    chosen = (container or st).multiselect(label, choices, format_func=format_func, key=key, **kw)
    return [c for c in choices if c in chosen]


def url_number(
    name: str, label: str, low: float, high: float, default: float, container: Any = None, **kw: Any
) -> Any:
    """A number input whose value is the URL parameter ``name`` (an int when the bounds are ints)."""
    key = f"url-{name}"
    cast = int if isinstance(default, int) else float
    try:
        asked = cast(st.query_params.get(name, default))
    except ValueError:
        asked = default
    _first_value(key, min(max(asked, cast(low)), cast(high)))
    value = (container or st).number_input(label, min_value=cast(low), max_value=cast(high), key=key, **kw)
    keep(name, value)
    return value


def url_text(name: str, label: str, default: str = "", container: Any = None, **kw: Any) -> str:
    key = f"url-{name}"
    _first_value(key, st.query_params.get(name, default))
    value = (container or st).text_input(label, key=key, **kw)
    keep(name, value)
    return value.strip()


def url_flag(name: str, label: str, default: bool = False, container: Any = None, **kw: Any) -> bool:
    key = f"url-{name}"
    asked = st.query_params.get(name)
    _first_value(key, default if asked is None else asked.lower() in ("1", "true", "yes"))
    value = (container or st).toggle(label, key=key, **kw)
    keep(name, "true" if value else "")
    return value


# --- Links to the place of a quote in its document ---------------------------------------------


def source_url(council: Any, start: Any, end: Any) -> str:
    """The Sources page scrolled to a quote (relative, so it works under any host and port)."""
    if not isinstance(council, str) or pd.isna(start) or pd.isna(end):
        return ""
    return f"sources?council={council}&start={int(start)}&end={int(end)}"


def page_anchor(url: str, text: str) -> str:
    """A link to another page of the app that opens in this tab. Streamlit (1.67) opens every markdown
    link in a new tab unless it names its target, so this is HTML: show it with unsafe_allow_html."""
    return f'<a href="{url}" target="_self">{html.escape(text, quote=False)}</a>'


def source_link(council: Any, start: Any, end: Any, text: str = "in the document") -> str:
    url = source_url(council, start, end)
    return page_anchor(url, f"{text} →") if url else ""


def cited(
    quote_text: str,
    council: str | None,
    section: Any,
    start: Any,
    end: Any,
    note: str = "",
    container: Any = None,
    name_council: bool = True,
) -> None:
    """A council's own words in full, who says them, where, and a link to them in the document."""
    place = container or st
    where = [council_name(council)] if (council and name_council) else []
    if isinstance(section, str) and section:
        where.append(f"§ {escape(section)}")
    if note:
        where.append(note)
    link = source_link(council, start, end)
    if link:
        where.append(link)
    # One element, not two: pages show hundreds of quotes, and each element costs the browser time.
    said = f"> {escape(quote_text)}"
    place.markdown(
        said + (f"\n\n:gray[:small[{' · '.join(where)}]]" if where else ""), unsafe_allow_html=True
    )


# --- Entities of the graph, by IRI -------------------------------------------------------------


@st.cache_resource(show_spinner=False)  # shared, never copied: read thousands of times a run
def _nodes(data: str, built: float) -> pd.DataFrame:
    result = queries.run("app-graph-nodes", data=data, limit=None)
    return pd.DataFrame(result.rows, columns=result.columns).drop_duplicates("node").set_index("node")


def nodes() -> pd.DataFrame:
    """Every council, option, order, concept, organisation, statement and divergence, by IRI."""
    return _nodes(*graph_location())


@st.cache_resource(show_spinner=False)  # shared, never copied: read thousands of times a run
def _edges(data: str, built: float) -> pd.DataFrame:
    result = queries.run("app-graph-edges", data=data, limit=None)
    return pd.DataFrame(result.rows, columns=result.columns)


def edges() -> pd.DataFrame:
    return _edges(*graph_location())


_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def compact(iri: Any) -> str:
    """An IRI as a prefixed name (opt:adoption) where a predeclared prefix covers it."""
    if not isinstance(iri, str):
        return "" if iri is None else str(iri)
    for prefix, base in _BY_LENGTH:
        if iri.startswith(base) and re.fullmatch(r"[\w.\-/]*", iri[len(base) :]):
            return f"{prefix}:{iri[len(base):]}"
    return iri


def expand(name: str) -> str:
    """A prefixed name back to its IRI (an IRI is returned as it is)."""
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES and not local.startswith("//") else name


def iri_label(iri: Any) -> str:
    """The label of an entity of the graph, '' if it has none."""
    table = nodes()
    if isinstance(iri, str) and iri in table.index:
        return str(table.at[iri, "label"])
    return ""


def ask_library(name: str, timeout: float, limit: int, **params: str) -> pd.DataFrame:
    """A library query with the page's own time and row limits (not cached: the analyst may be timing it)."""
    data, _ = graph_location()
    result = queries.run(name, data=data, timeout=timeout, limit=limit, **params)
    frame = pd.DataFrame(result.rows, columns=result.columns)
    frame.attrs["note"] = result.note
    return frame


@st.cache_resource(show_spinner=False)  # shared, never copied: read thousands of times a run
def _places(data: str, built: float) -> dict[tuple[str, str], list[tuple[int, int, str]]]:
    result = queries.run("app-evidence-spans", data=data, limit=None)
    places: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
    for row in result.records():
        places.setdefault((row["council"], row["quote"]), []).append(
            (int(row["start"]), int(row["end"]), row["section"])
        )
    return places


def place_of(council: str, quote_text: str, section: Any = None) -> tuple[int | None, int | None]:
    """Where a council's quote stands in its document, for results that carry the words only (the
    same words at two places are told apart by their section)."""
    found = _places(*graph_location()).get((council, quote_text), [])
    if section is not None:
        found = [p for p in found if p[2] == section] or found
    return (found[0][0], found[0][1]) if found else (None, None)


def councils_laid_out(name: str, label: str, everyone: list[str], what: str = "shown") -> list[str]:
    """The councils a page lays out side by side, kept in the URL under ``name``: the first
    COUNCILS_SHOWN_AT_FIRST unless the reader chooses, with a caption when some are left out."""
    chosen = url_list(name, label, everyone, everyone[:COUNCILS_SHOWN_AT_FIRST], council_name)
    if len(chosen) < len(everyone):
        st.caption(f"{len(chosen)} of {len(everyone):,} councils {what}: choose others above.")
    return chosen


def url_list(
    name: str,
    label: str,
    choices: list[str],
    default: list[str],
    format_func: Any = str,
    container: Any = None,
    **kw: Any,
) -> list[str]:
    """A multiselect kept in the URL as one comma-separated value (the CLI's ``--councils a,b``)."""
    asked = st.query_params.get(name, "").split(",")
    chosen = _multiselect(name, label, choices, default, asked, format_func, container, kw)
    keep(name, ",".join(chosen))
    return chosen

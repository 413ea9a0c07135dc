"""Month and weekday names of European exports, read as their English abbreviations.

A CRM set to French writes ``5 janv. 2026``, to German ``3. März 2026``, to Spanish
``12 de mayo de 2026``. :func:`localised_steps` says how to rewrite such a column's texts into a
form the date reading knows (``5 Jan 2026``, ``3 Mar 2026``, ``12 May 2026``): a few
(RE2 pattern, replacement) clean-ups, applied to every cell before the dates are read, as the
other clean-ups of a ``DateReading`` are. Languages: French, German, Spanish, Italian, Portuguese
and Dutch, full names and the abbreviations their software writes (with or without a dot).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["localised_steps", "apply_steps", "LOCAL_MONTHS", "LOCAL_STEPS"]

#: month -> its names and abbreviations in the six languages (English spellings left out:
#: the date reading knows them already)
LOCAL_MONTHS: dict[str, tuple[str, ...]] = {
    "Jan": ("janvier", "janv", "januar", "jänner", "jän", "enero", "ene", "gennaio", "gen",
            "janeiro", "januari"),
    "Feb": ("février", "fevrier", "févr", "fevr", "févr", "februar", "feber", "febrero", "febbraio",
            "fevereiro", "fev", "februari"),
    "Mar": ("mars", "märz", "maerz", "mär", "marzo", "março", "marco", "maart", "mrt"),
    "Apr": ("avril", "avr", "abril", "abr", "aprile"),
    "May": ("mai", "mayo", "maggio", "mag", "maio", "mei"),
    "Jun": ("juin", "juni", "junio", "giugno", "giu", "junho"),
    "Jul": ("juillet", "juil", "juli", "julio", "luglio", "lug", "julho"),
    "Aug": ("août", "aout", "agosto", "ago", "augustus"),
    "Sep": ("septembre", "septiembre", "setiembre", "settembre", "setembro", "set"),
    "Oct": ("octobre", "oktober", "okt", "octubre", "ottobre", "ott", "outubro", "out"),
    "Nov": ("novembre", "noviembre", "novembro"),
    "Dec": ("décembre", "decembre", "déc", "dezember", "dez", "diciembre", "dic", "dicembre",
            "dezembro"),
}
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
             "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag",
             "lunes", "martes", "miércoles", "miercoles", "jueves", "viernes", "sábado", "sabado", "domingo",
             "lunedì", "lunedi", "martedì", "martedi", "mercoledì", "mercoledi", "giovedì", "giovedi",
             "venerdì", "venerdi", "sabato", "domenica",
             "segunda-feira", "terça-feira", "terca-feira", "quarta-feira", "quinta-feira", "sexta-feira",
             "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def _alternatives(words) -> str:
    return "|".join(sorted(set(words), key=len, reverse=True))


# a name is a whole word (RE2's \b knows only ASCII letters, so the edges are spelt out)
_EDGE_BEFORE, _EDGE_AFTER = r"(^|[^\pL])", r"\.?([^\pL]|$)"
_ANY_MONTH = rf"(?i){_EDGE_BEFORE}(?:{_alternatives(w for ws in LOCAL_MONTHS.values() for w in ws)})([^\pL]|\.|$)"
LOCAL_STEPS: tuple[tuple[str, str], ...] = (
    (rf"(?i)^(?:{_alternatives(_WEEKDAYS)})\.?,? ", ""),          # a leading weekday
    (r"^1er ", "1 "),                                             # French: 1er janvier
    (r"^(\d{1,2})\. ?(\pL)", r"\1 \2"),                           # German: 3. März
    (r"(?i)(\d|\pL) de (\pL|\d)", r"\1 \2"),                      # Spanish, Portuguese: 12 de mayo de 2026
) + tuple((rf"(?i){_EDGE_BEFORE}(?:{_alternatives(words)}){_EDGE_AFTER}", rf"\1{english}\2")
          for english, words in LOCAL_MONTHS.items())


def localised_steps(texts: pa.Array) -> tuple[tuple[str, str], ...]:
    """The clean-ups that turn European month names in ``texts`` (some of a column's distinct
    values) into English ones; () when no value names a month that way."""
    if len(texts) == 0 or not pc.any(pc.match_substring_regex(texts, _ANY_MONTH)).as_py():
        return ()
    return LOCAL_STEPS


def apply_steps(texts: pa.Array, steps) -> pa.Array:
    for pattern, replacement in steps:
        texts = pc.replace_substring_regex(texts, pattern, replacement)
    return texts

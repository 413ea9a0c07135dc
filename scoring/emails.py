"""Email addresses: normalised, checked for shape, and sorted into free-mail and business ones.

Every check runs once per distinct value (pandas categories keep their categories; other
columns are factorised) with Arrow text functions, then is gathered back to the rows.

What counts as what (the rule operators "is a free-mail address" / "is a business address", the
audit report, the duplicate finder and the model-as-SQL writer all use these definitions):

- *normalised*: surrounding white space trimmed, case folded (``" Ann@Gmail.COM"`` ->
  ``"ann@gmail.com"``); with ``plus_addressing`` a "+tag" at the end of the local part is dropped
  (``"ann+news@x.com"`` -> ``"ann@x.com"``). Dots in gmail addresses are kept.
- *valid*: the normalised text has exactly one "@", at least one character before it, no white
  space (``EMAIL_SPACES``), and after it a domain of two or more dot-separated, non-empty labels
  whose last label (the top-level domain) is at least two letters a-z. ``EMAIL_PATTERN`` says the
  same as a regular expression.
- *free-mail*: a valid address whose domain is one of ``FREE_MAIL_DOMAINS`` (gmail, yahoo,
  outlook/hotmail/live/msn, aol, icloud, proton, gmx, web.de, yandex, mail.ru, qq, zoho, big ISPs).
- *business*: a valid address that is not free-mail. Missing and invalid cells are neither.

Functions
---------
normalise_emails(values, *, plus_addressing=False) : normalised texts (missing stays missing)
valid_email_mask(values) : bool per value
free_mail_mask(values) : bool per value
business_email_mask(values) : bool per value
email_domain(values) : the domain of each valid address, missing otherwise
valid_folded, free_mail_folded, business_folded : the same tests on texts already trimmed and
    case-folded (as the rule operators receive them)
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["FREE_MAIL_DOMAINS", "EMAIL_SPACES", "EMAIL_PATTERN", "PLUS_TAG", "normalise_emails",
           "valid_email_mask", "free_mail_mask", "business_email_mask", "email_domain",
           "valid_folded", "free_mail_folded", "business_folded", "fold_texts"]

#: Domains of free-mail providers (lower case, exact domains: no wildcards, so SQL can list them).
FREE_MAIL_DOMAINS: frozenset[str] = frozenset("""
    gmail.com googlemail.com
    yahoo.com yahoo.co.uk yahoo.co.in yahoo.co.jp yahoo.co.id yahoo.co.nz yahoo.fr yahoo.de
    yahoo.es yahoo.it yahoo.ca yahoo.in yahoo.ie yahoo.se yahoo.no yahoo.dk yahoo.gr yahoo.pl
    yahoo.com.au yahoo.com.br yahoo.com.mx yahoo.com.ar yahoo.com.sg yahoo.com.ph yahoo.com.hk
    yahoo.com.tw yahoo.com.vn ymail.com rocketmail.com
    outlook.com outlook.fr outlook.de outlook.es outlook.it outlook.jp outlook.co.uk
    outlook.com.br outlook.com.au hotmail.com hotmail.co.uk hotmail.fr hotmail.de hotmail.es
    hotmail.it hotmail.ca hotmail.nl hotmail.be hotmail.se hotmail.com.au hotmail.com.br
    live.com live.co.uk live.fr live.de live.nl live.it live.ca live.com.au msn.com
    windowslive.com passport.com
    aol.com aol.co.uk aol.de aol.fr aim.com
    icloud.com me.com mac.com
    protonmail.com protonmail.ch proton.me pm.me
    gmx.com gmx.net gmx.de gmx.at gmx.ch gmx.fr web.de t-online.de freenet.de
    mail.com email.com zoho.com zohomail.com yandex.com yandex.ru ya.ru mail.ru inbox.ru list.ru
    bk.ru rambler.ru qq.com 163.com 126.com yeah.net sina.com sohu.com naver.com hanmail.net
    daum.net fastmail.com fastmail.fm tutanota.com tuta.io hey.com hushmail.com rediffmail.com
    free.fr orange.fr wanadoo.fr laposte.net sfr.fr libero.it virgilio.it tiscali.it alice.it
    btinternet.com sky.com virginmedia.com talktalk.net ntlworld.com comcast.net verizon.net
    att.net sbcglobal.net bellsouth.net cox.net charter.net earthlink.net optonline.net
    shaw.ca rogers.com sympatico.ca bigpond.com optusnet.com.au xtra.co.nz seznam.cz wp.pl o2.pl
    onet.pl interia.pl uol.com.br bol.com.br terra.com.br ig.com.br
""".split())

#: White space that may not appear inside an address (ASCII white space and the no-break space).
EMAIL_SPACES = " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\xa0"
_NOT = "@" + EMAIL_SPACES
#: A valid normalised address (RE2 and Python syntax; the class holds the characters themselves).
EMAIL_PATTERN = rf"^[^{_NOT}]+@[^{_NOT}.]+(\.[^{_NOT}.]+)*\.[a-z]{{2,}}$"
#: A "+tag" at the end of the local part (group 1: the part before it).
PLUS_TAG = r"^([^@+]+)\+[^@]*@"
_FREE = pa.array(sorted(FREE_MAIL_DOMAINS), pa.string())


def fold_texts(values) -> pa.Array:
    """Texts trimmed and case-folded as the rule operators compare them (missing stays null).

    Lower-casing runs in Arrow; only non-ASCII texts, where case folding and lower case can
    differ ("Straße"), go through Python's ``str.casefold``.
    """
    texts = pd.Series(values, dtype="str").reset_index(drop=True)
    arrow = _arrow(texts)
    folded = pc.utf8_lower(pc.utf8_trim_whitespace(arrow))
    odd = np.flatnonzero(~pc.fill_null(pc.string_is_ascii(arrow), True).to_numpy(zero_copy_only=False))
    if len(odd):
        listed = folded.to_pylist()
        for i in odd:
            listed[i] = str(texts.iloc[i]).strip().casefold()
        folded = pa.array(listed, pa.string())
    return folded


def valid_folded(folded) -> np.ndarray:
    """Valid addresses among texts already trimmed and case-folded (a bool per text)."""
    array = _arrow(folded)
    return pc.fill_null(pc.match_substring_regex(array, EMAIL_PATTERN), False) \
        .to_numpy(zero_copy_only=False).astype(bool, copy=False)


def _domains_folded(folded, valid: np.ndarray) -> pa.Array:
    domains = pc.replace_substring_regex(_arrow(folded), r"^[^@]*@", "")
    return pc.if_else(pa.array(valid), domains, pa.nulls(len(valid), pa.string()))


def free_mail_folded(folded) -> np.ndarray:
    """Free-mail addresses among texts already trimmed and case-folded (a bool per text)."""
    valid = valid_folded(folded)
    domains = _domains_folded(folded, valid)
    return pc.fill_null(pc.is_in(domains, value_set=_FREE), False) \
        .to_numpy(zero_copy_only=False).astype(bool, copy=False) & valid


def business_folded(folded) -> np.ndarray:
    """Business addresses (valid, not free-mail) among texts already trimmed and case-folded."""
    return valid_folded(folded) & ~free_mail_folded(folded)


def _arrow(values) -> pa.Array:
    """``values`` as one Arrow string array."""
    if not isinstance(values, (pa.Array, pa.ChunkedArray)):
        values = pa.array(pd.Series(values, dtype="str").array)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return values.cast(pa.string()) if values.type != pa.string() else values


def _per_distinct(values, fn: Callable[[pa.Array], np.ndarray | pa.Array]):
    """``fn`` on the folded distinct values, gathered back to one result per value."""
    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes, uniques = series.cat.codes.to_numpy(), series.cat.categories
    else:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    out = fn(fold_texts(pd.Series(uniques, dtype=object)))
    if isinstance(out, np.ndarray):
        return np.append(out, False)[codes] if out.dtype == bool else out[codes]
    gathered = pc.take(pa.concat_arrays([out, pa.nulls(1, out.type)]),
                       pa.array(np.where(codes < 0, len(out), codes)))
    return pd.Series(pd.arrays.ArrowStringArray(gathered), index=series.index
                     if isinstance(values, pd.Series) else None)


def normalise_emails(values, *, plus_addressing: bool = False) -> pd.Series:
    """Each value trimmed and case-folded; with ``plus_addressing`` a "+tag" before the "@" is
    dropped. Missing and blank values become missing. Returns a ``str`` Series."""
    def run(folded: pa.Array) -> pa.Array:
        if plus_addressing:
            folded = pc.replace_substring_regex(folded, PLUS_TAG, r"\1@")
        return pc.if_else(pc.equal(folded, ""), pa.nulls(len(folded), pa.string()), folded)
    return _per_distinct(values, run).astype("str")


def valid_email_mask(values) -> np.ndarray:
    """True where the value is a valid address (see the module docstring); missing is False."""
    return _per_distinct(values, valid_folded)


def free_mail_mask(values) -> np.ndarray:
    """True where the value is a valid address at a free-mail provider (``FREE_MAIL_DOMAINS``)."""
    return _per_distinct(values, free_mail_folded)


def business_email_mask(values) -> np.ndarray:
    """True where the value is a valid address that is not at a free-mail provider."""
    return _per_distinct(values, business_folded)


def email_domain(values) -> pd.Series:
    """The domain (after the "@", lower case) of each valid address; missing otherwise."""
    return _per_distinct(values, lambda f: _domains_folded(f, valid_folded(f))).astype("str")

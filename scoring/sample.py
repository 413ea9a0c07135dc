"""A realistic, generated B2B lead list: the bundled sample and the benchmarks' big files.

Deterministic for a given seed. Conversion (the ``converted`` outcome) depends on fit and
engagement, so back-testing a sensible model finds real signal.

``python -m scoring.sample OUT.csv [--rows N] [--seed S]`` writes it.
"""

from __future__ import annotations

import argparse
from datetime import date

import numpy as np
import pandas as pd

__all__ = ["generate_sample", "main", "SAMPLE_SEED", "SAMPLE_TODAY"]

SAMPLE_SEED = 20261122
SAMPLE_TODAY = date(2026, 11, 1)

FIRST = ["Olivia", "Liam", "Emma", "Noah", "Ava", "Lucas", "Mia", "Ethan", "Sofia", "Mateo",
         "Amelia", "James", "Priya", "Arjun", "Chloe", "Leon", "Hannah", "Yuki", "Fatima", "Omar",
         "Grace", "Daniel", "Elena", "Marco", "Aisha", "Kenji", "Lena", "Tom", "Nora", "Felix"]
LAST = ["Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Martinez", "Wilson", "Anderson",
        "Taylor", "Thomas", "Moore", "Martin", "Lee", "Patel", "Kumar", "Müller", "Schmidt", "Dubois",
        "Rossi", "Silva", "Nguyen", "Kim", "Tanaka", "O'Brien", "Walsh", "Novak", "Cohen", "Haddad",
        "Larsen"]
COMPANY_A = ["Blue", "North", "Bright", "Iron", "Green", "Swift", "Clear", "Summit", "Atlas",
             "Nova", "Cedar", "Harbor", "Vertex", "Pioneer", "Silver", "Red", "Quantum", "Maple"]
COMPANY_B = ["Labs", "Systems", "Logistics", "Health", "Analytics", "Foods", "Works", "Capital",
             "Retail", "Energy", "Media", "Robotics", "Cloud", "Partners", "Studio", "Motors"]
SUFFIX = ["Inc", "Ltd", "GmbH", "LLC", "", "", "Group", "SA"]
TITLES = [("Chief Executive Officer", 3, 3), ("CTO", 3, 3), ("VP Marketing", 3, 4),
          ("VP of Sales", 3, 4), ("Director of Operations", 2, 5), ("Marketing Director", 2, 6),
          ("Head of Growth", 2, 5), ("Marketing Manager", 1, 10), ("Sales Manager", 1, 8),
          ("IT Manager", 1, 7), ("Product Manager", 1, 7), ("Analyst", 0, 8),
          ("Marketing Coordinator", 0, 6), ("Consultant", 0, 5), ("Engineer", 0, 6),
          ("Student", -2, 4), ("Intern", -2, 3), ("", 0, 5)]
INDUSTRIES = [("Software", 2, 14), ("Financial Services", 2, 9), ("Healthcare", 1, 9),
              ("Manufacturing", 1, 10), ("Retail", 0, 10), ("Education", -1, 8),
              ("Logistics", 1, 6), ("Media", 0, 6), ("Non-profit", -1, 4), ("Government", -1, 3),
              ("Energy", 1, 5)]
COUNTRIES = [("US", 40), ("CA", 7), ("GB", 12), ("DE", 9), ("FR", 6), ("AU", 5), ("IN", 9),
             ("BR", 5), ("NL", 3), ("ES", 2), ("SG", 2)]
SOURCES = [("Organic Search", 0.0, 22), ("Paid Search", -0.2, 16), ("LinkedIn", 0.2, 12),
           ("Webinar", 0.6, 8), ("Referral", 0.9, 7), ("Trade Show", 0.4, 5),
           ("Email Campaign", 0.1, 11), ("Direct", 0.3, 10), ("Partner", 0.7, 5),
           ("google ads", -0.2, 2), ("Facebook", -0.5, 2)]
FREE_MAIL = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com"]
STAGES = ["Subscriber", "Lead", "MQL", "SQL", "Opportunity", "Customer"]


def _pick(rng: np.random.Generator, table: list[tuple], n: int) -> np.ndarray:
    weights = np.array([row[-1] for row in table], float)
    return rng.choice(len(table), size=n, p=weights / weights.sum())


def generate_sample(rows: int = 5000, seed: int = SAMPLE_SEED, today: date = SAMPLE_TODAY) -> pd.DataFrame:
    """Generate a realistic B2B lead list.

    Parameters
    ----------
    rows : int
        Number of leads, at least 1.
    seed : int
        Random seed; the same seed (and ``rows`` and ``today``) gives the same frame every time.
    today : datetime.date
        The export date: leads were created up to ~18 months before it, and activity is never after it.

    Returns
    -------
    pandas.DataFrame
        One row per lead: contact and company columns, engagement counts, Yes/No flags, dates as
        ISO texts (as a CRM export has them) and the ``converted`` outcome (1/0, ~14% converted).

    Raises
    ------
    ValueError
        If ``rows`` is below 1.
    """
    if rows < 1:
        raise ValueError(f"A sample needs at least one lead, not {rows}.")
    rng = np.random.default_rng(seed)
    n = rows
    first = np.array(FIRST, object)[rng.integers(0, len(FIRST), n)]
    last = np.array(LAST, object)[rng.integers(0, len(LAST), n)]
    n_companies = max(20, n // 6)
    company_names = np.array([f"{a} {b} {s}".strip() for a, b, s in zip(
        np.array(COMPANY_A)[rng.integers(0, len(COMPANY_A), n_companies)],
        np.array(COMPANY_B)[rng.integers(0, len(COMPANY_B), n_companies)],
        np.array(SUFFIX)[rng.integers(0, len(SUFFIX), n_companies)])], object)
    company_idx = rng.integers(0, n_companies, n)
    company = company_names[company_idx]
    company_size = np.round(np.exp(rng.normal(4.3, 1.7, n_companies))).clip(1, 250_000)
    employees = company_size[company_idx].astype(float)
    employees[rng.random(n) < 0.08] = np.nan

    title_i = _pick(rng, TITLES, n)
    industry_i = _pick(rng, INDUSTRIES, n)
    country_i = _pick(rng, COUNTRIES, n)
    source_i = _pick(rng, SOURCES, n)

    domain = np.char.add(np.char.lower(np.char.replace(
        np.array([c.split(" ")[0] + c.split(" ")[1] for c in company], str), "'", "")), ".com")
    local = np.char.lower(np.char.add(np.char.add(first.astype(str), "."), last.astype(str)))
    local = np.char.replace(np.char.replace(local, "'", ""), "ü", "u")
    free = rng.random(n) < 0.18
    domain = np.where(free, np.array(FREE_MAIL)[rng.integers(0, len(FREE_MAIL), n)], domain)
    email = np.char.add(np.char.add(local, "@"), domain).astype(object)
    email[rng.random(n) < 0.02] = None
    bad = rng.random(n) < 0.01
    if bad.any():   # np.char.replace cannot take an empty array
        email[bad] = np.char.replace(local[bad], ".", "_").astype(object)

    created_days = rng.integers(0, 545, n)
    created = pd.Timestamp(today) - pd.to_timedelta(created_days, unit="D")
    activity_gap = np.minimum(created_days, rng.exponential(40, n).astype(int))
    last_activity = created + pd.to_timedelta(created_days - activity_gap, unit="D")
    no_activity = rng.random(n) < 0.1
    last_activity = pd.Series(last_activity).where(~no_activity)

    fit = (np.array([t[1] for t in TITLES])[title_i] + np.array([i[1] for i in INDUSTRIES])[industry_i]
           + np.log10(np.nan_to_num(employees, nan=20) + 1) * 0.6 + rng.normal(0, 0.8, n))
    interest = rng.normal(0, 1, n) + np.array([s[1] for s in SOURCES])[source_i] + 0.25 * fit
    page_views = rng.poisson(np.exp(1.2 + 0.45 * interest).clip(0, 60))
    email_clicks = rng.poisson(np.exp(0.2 + 0.5 * interest).clip(0, 30))
    webinar = rng.random(n) < 1 / (1 + np.exp(-(interest - 1.8)))
    download = rng.random(n) < 1 / (1 + np.exp(-(interest - 0.4)))
    demo = rng.random(n) < 1 / (1 + np.exp(-(interest + 0.35 * fit - 3.4)))
    recency = np.where(no_activity, 0.0, np.exp(-activity_gap / 60))
    logit = -6.2 + 0.55 * fit + 0.7 * interest + 1.6 * demo + 0.6 * webinar + 0.8 * recency
    converted = rng.random(n) < 1 / (1 + np.exp(-logit))

    stage_score = np.clip((logit + 5.5) / 2.2 + rng.normal(0, 0.6, n), 0, 4).astype(int)
    stage = np.array(STAGES, object)[np.where(converted, 5, stage_score)]
    yes_no = np.array(["No", "Yes"], object)

    frame = pd.DataFrame({
        "first_name": first, "last_name": last, "email": email, "company": company,
        "job_title": np.array([t[0] for t in TITLES], object)[title_i],
        "industry": np.array([i[0] for i in INDUSTRIES], object)[industry_i],
        "employees": pd.array(employees, dtype="Int64"),
        "country": np.array([c[0] for c in COUNTRIES], object)[country_i],
        "lead_source": np.array([s[0] for s in SOURCES], object)[source_i],
        "created_date": pd.Series(created).dt.strftime("%Y-%m-%d"),
        "last_activity": last_activity.dt.strftime("%Y-%m-%d"),
        "page_views": page_views, "email_clicks": email_clicks,
        "webinar_attended": yes_no[webinar.astype(int)],
        "whitepaper_download": yes_no[download.astype(int)],
        "demo_requested": yes_no[demo.astype(int)],
        "lifecycle_stage": stage, "converted": converted.astype(int),
    })
    frame.loc[frame["job_title"] == "", "job_title"] = None
    return frame


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("the sample needs at least one row")
    return value


def main(argv: list[str] | None = None) -> int:
    """Write a sample CSV: ``python -m scoring.sample OUT.csv [--rows N] [--seed S]``.

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status, 0.
    """
    parser = argparse.ArgumentParser(prog="python -m scoring.sample", description=__doc__.split("\n")[0])
    parser.add_argument("output")
    parser.add_argument("--rows", type=_positive, default=5000)
    parser.add_argument("--seed", type=int, default=SAMPLE_SEED)
    args = parser.parse_args(argv)
    generate_sample(args.rows, args.seed).to_csv(args.output, index=False, lineterminator="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Generated lead, deals and activity files with known answers, for the join tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

AS_OF = "2026-06-30"


def write_crm(folder: Path, n: int = 400, seed: int = 7) -> dict[str, Path]:
    """leads.csv (lead_id, email, name, company, source), deals.csv (one row for some leads,
    two for a few; ids in other case/spaces never), events.csv (many rows per lead by email).

    Returns the paths by name plus ``frames`` of what was written (for computing answers)."""
    rng = np.random.default_rng(seed)
    ids = [f"L{i:05d}" for i in range(n)]
    companies = np.array(["Acme Inc", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay"])
    company = companies[rng.integers(0, len(companies), n)]
    free = rng.random(n) < 0.2
    domain = np.where(free, "gmail.com", np.char.add(np.char.lower(np.char.replace(company, " ", "")), ".com"))
    email = [f"person{i}@{d}" for i, d in enumerate(domain)]
    leads = pd.DataFrame({"lead_id": ids, "email": email, "name": [f"Person {i}" for i in range(n)],
                          "company": company, "source": rng.choice(["Ads", "Web", "Event"], n)})
    # deals: 60% of leads, plus 10 second rows for the first 10 deal leads, plus 5 rows of unknown leads
    has_deal = rng.random(n) < 0.6
    deal_leads = [ids[i] for i in np.flatnonzero(has_deal)]
    stage = rng.choice(["Won", "Lost", "Engaging", "Prospecting"], len(deal_leads))
    close = pd.to_datetime("2026-01-01") + pd.to_timedelta(rng.integers(0, 170, len(deal_leads)), "D")
    close = pd.Series(close).where(~np.isin(stage, ["Engaging", "Prospecting"]))
    deals = pd.DataFrame({"lead_id": deal_leads, "stage": stage, "close_date": close.dt.strftime("%Y-%m-%d"),
                          "amount": rng.integers(100, 5000, len(deal_leads))})
    extra = deals.head(10).assign(stage="Won", close_date="2026-06-29", amount=1)
    ghosts = pd.DataFrame({"lead_id": [f"X{i}" for i in range(5)], "stage": "Won",
                           "close_date": "2026-02-01", "amount": 10})
    deals = pd.concat([deals, extra, ghosts], ignore_index=True)
    # events: by email, upper-cased and padded in places (matches after trimming and folding)
    m = n * 6
    who = rng.integers(0, n, m)
    ev_email = np.array(email, object)[who]
    shout = rng.random(m) < 0.3
    ev_email[shout] = [f"  {e.upper()} " for e in ev_email[shout]]
    when = pd.to_datetime(AS_OF) - pd.to_timedelta(rng.integers(0, 120, m), "D")
    events = pd.DataFrame({"contact": ev_email, "event": rng.choice(["open", "click", "visit"], m),
                           "when": when.strftime("%Y-%m-%d"), "pages": rng.integers(1, 9, m)})
    paths = {"leads": folder / "leads.csv", "deals": folder / "deals.csv", "events": folder / "events.csv"}
    leads.to_csv(paths["leads"], index=False)
    deals.to_csv(paths["deals"], index=False)
    events.to_csv(paths["events"], index=False)
    paths["frames"] = {"leads": leads, "deals": deals, "events": events}
    return paths

"""Test set-up shared by every test: headless Qt, no network, settings in a temporary folder."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
SAMPLE = ROOT / "resources" / "sample_leads.csv"


@pytest.fixture
def shared_data() -> Path:
    """The public lead lists and format suites beside the checkout (skipped when absent)."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside this checkout")
    return SHARED_DATA


@pytest.fixture(autouse=True, scope="session")
def log_folder(tmp_path_factory) -> Path:
    """Leadbench's log file (app/logs.py) is written inside the suite's temporary folder."""
    folder = tmp_path_factory.mktemp("logs")
    os.environ["LEADBENCH_LOG_DIR"] = str(folder)
    return folder


@pytest.fixture(autouse=True, scope="session")
def no_network():
    """Leadbench makes no network connection: any attempt during the suite fails the test."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guarded(real):
        def connect(self, address, *args, **kwargs):
            if self.family in (socket.AF_INET, socket.AF_INET6):
                raise AssertionError(f"network connection attempted to {address!r}")
            return real(self, address, *args, **kwargs)
        return connect

    socket.socket.connect = guarded(real_connect)
    socket.socket.connect_ex = guarded(real_connect_ex)
    yield
    socket.socket.connect, socket.socket.connect_ex = real_connect, real_connect_ex


@pytest.fixture(autouse=True)
def collect_on_the_main_thread():
    """Once a test started a worker, the cycle collector runs on the GUI thread only
    (app/collector.py), from a timer; tests without an event loop collect here, after each test."""
    yield
    collector = sys.modules.get("app.collector")
    if collector is not None and collector.installed():
        collector.collect_due()

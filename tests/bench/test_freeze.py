"""The benchmark's freeze meter sees the GUI thread blocked, in the measured block or in an event."""

from __future__ import annotations

import time

from PySide6.QtCore import QEventLoop, QTimer

from bench.freeze import FreezeMeter


def test_a_sleep_in_the_block_is_a_freeze(qapp):
    with FreezeMeter() as meter:
        time.sleep(0.3)
    assert meter.longest_ms >= 300


def test_a_sleep_in_an_event_handler_is_a_freeze_while_the_block_waits(qapp):
    loop = QEventLoop()
    with FreezeMeter() as meter:
        QTimer.singleShot(50, lambda: time.sleep(0.3))
        QTimer.singleShot(500, loop.quit)
        loop.exec()
    assert meter.longest_ms >= 300
    assert meter.ticks > 5            # the timer ticked around the freeze


def test_stacks_name_the_code_that_froze(qapp):
    def busy_for_a_while():
        time.sleep(0.4)

    with FreezeMeter(with_stacks=True) as meter:
        busy_for_a_while()
    assert meter.longest_ms >= 400
    assert any("busy_for_a_while" in stack for stack, _n in meter.worst_stacks())


def test_long_gaps_say_when_they_happened(qapp):
    loop = QEventLoop()
    with FreezeMeter() as meter:
        QTimer.singleShot(200, lambda: time.sleep(0.25))
        QTimer.singleShot(600, loop.quit)
        loop.exec()
    # the sleep's gap ended 0.45 s in (a coarse timer may fire 5% early; a busy machine may add gaps)
    assert any(ms >= 250 and ended >= 0.4 for ended, ms in meter.long_gaps)
    assert all(ms >= 100 for _ended, ms in meter.long_gaps)

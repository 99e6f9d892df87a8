"""Prompts read by `read_terminal_line` on a real pseudo-terminal (channels/cli_interrupt.py).

`input()` could miss a Ctrl-C that landed just before its blocking read and hang until the
next Enter (seen once in CI). The reader waits on the terminal and on a wakeup pipe the
signal writes to, so a SIGINT sent at any moment ends the prompt.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator

import pytest

from coworker.channels.cli_interrupt import read_terminal_line


@pytest.fixture
def pty() -> Iterator[tuple[int, int]]:
    master, slave = os.openpty()
    try:
        yield master, slave
    finally:
        os.close(master)
        os.close(slave)


def test_a_typed_line_is_read_without_its_newline(pty: tuple[int, int]) -> None:
    master, slave = pty
    os.write(master, "hi jane — café\n".encode())
    assert read_terminal_line(slave) == "hi jane — café"


def test_ctrl_d_at_an_empty_prompt_is_the_end_of_input(pty: tuple[int, int]) -> None:
    master, slave = pty
    os.write(master, b"\x04")
    with pytest.raises(EOFError):
        read_terminal_line(slave)


def test_a_sigint_at_any_moment_ends_the_prompt_and_restores_the_wakeup_fd(
    pty: tuple[int, int],
) -> None:
    _, slave = pty
    saved = signal.signal(signal.SIGINT, signal.default_int_handler)
    before = signal.set_wakeup_fd(-1)
    signal.set_wakeup_fd(before)
    main = threading.get_ident()
    try:
        with pytest.raises(KeyboardInterrupt):
            # sent from another thread, whenever it runs: before the reader waits or while
            # it waits, the prompt ends either way (nothing is ever typed)
            threading.Thread(target=signal.pthread_kill, args=(main, signal.SIGINT)).start()
            read_terminal_line(slave)
        assert signal.set_wakeup_fd(before) == before, "the wakeup fd is put back as it was"
    finally:
        signal.signal(signal.SIGINT, saved)

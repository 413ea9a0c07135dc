"""Telling the text encoding of a lead file, and refusing files that are not text."""

from __future__ import annotations

import codecs

__all__ = ["detect_encoding", "is_binary", "is_wide_text", "MIXED_ENCODING"]

#: UTF-8, with any byte sequence that is not valid UTF-8 read as Windows-1252 (files that were
#: edited in two programs mix them).
MIXED_ENCODING = "leadbench-utf8-cp1252"


def _fallback(error: UnicodeDecodeError):
    bad = error.object[error.start:error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("leadbench-cp1252", _fallback)


def _search(name: str):
    if name.replace("_", "-") != MIXED_ENCODING:
        return None
    utf8 = codecs.lookup("utf-8")

    class Decoder(codecs.BufferedIncrementalDecoder):
        def _buffer_decode(self, data, errors, final):
            return codecs.utf_8_decode(data, "leadbench-cp1252", final)

    return codecs.CodecInfo(name=MIXED_ENCODING, encode=utf8.encode,
                            decode=lambda data, errors="strict": (
                                codecs.utf_8_decode(data, "leadbench-cp1252", True)),
                            incrementaldecoder=Decoder, incrementalencoder=utf8.incrementalencoder,
                            streamreader=utf8.streamreader, streamwriter=utf8.streamwriter)


codecs.register(_search)


def detect_encoding(head: bytes) -> tuple[str, int]:
    """The encoding of a file from its first bytes, and the length of its byte-order mark.

    BOMs decide (UTF-8, UTF-16); else UTF-8 if the bytes decode as UTF-8; else Windows-1252,
    which covers Latin-1 text as written by Excel on Windows.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", 2
    try:
        head.decode("utf-8")
        return "utf-8", 0
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:      # a character cut by the end of the sample
            return "utf-8", 0
    return "cp1252", 0


def is_binary(head: bytes, encoding: str) -> bool:
    """True for bytes that are not a text table (an image, a zip, a program...)."""
    if encoding == "utf-16":
        return False
    sample = head[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control > max(8, len(sample) // 100)


def is_wide_text(head: bytes) -> bool:
    """True for text in UTF-16 or UTF-32 without a byte-order mark (every other byte zero)."""
    sample = head[:4096]
    if len(sample) < 8:
        return False
    zeros_even = sample[0::2].count(0) / len(sample[0::2])
    zeros_odd = sample[1::2].count(0) / len(sample[1::2])
    utf16 = max(zeros_even, zeros_odd) > 0.4 and min(zeros_even, zeros_odd) < 0.1
    utf32 = sample.count(0) / len(sample) > 0.6 and sample[0::4].count(0) < len(sample[0::4]) // 2
    return utf16 or utf32

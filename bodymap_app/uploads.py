"""An upload's bytes live only while it is checked: a refused file is released at once, everywhere.

Streamlit keeps an uploaded file's bytes in its file manager until the session ends (and a
closed tab's session lives on for `server.disconnectedSessionTTL`, 120 s by default); the widget
keeps a copy too. Thirty refused 4.9 MB files kept ~150 MB for as long as that, and glibc kept
the freed megabytes in its heap afterwards. So a refused file is removed from the file manager
and from the widget's state, and large buffers are given their own memory mappings, which go
back to the system the moment they are freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from typing import Any

import streamlit as st

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)
MMAP_THRESHOLD = 256 * 1024  # bytes: a buffer this large or larger is mapped on its own, never kept in the heap


def _libc() -> Any:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:  # not glibc (musl, macOS): nothing to tune
        return None


_LIBC = _libc()
if _LIBC is not None:
    # A fixed threshold also stops glibc from raising it after each freed mapping, which is what
    # let a second 4.9 MB buffer land in the heap and stay there.
    _LIBC.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    _LIBC.mallopt(_M_TRIM_THRESHOLD, 1024 * 1024)


def release_memory() -> None:
    """Collect what a refused upload left behind and hand the free heap back to the system."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def forget(key: str, file_id: str | None) -> None:
    """Drop an uploaded file: from Streamlit's file manager, from the widget's state, from memory."""
    try:
        from streamlit.runtime import exists, get_instance
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        # remove_file is the in-memory manager's (Streamlit's default), not on its abstract base.
        remove = getattr(get_instance().uploaded_file_mgr, "remove_file", None) if exists() else None
        if remove is not None and ctx is not None and file_id:
            remove(ctx.session_id, file_id)
    except (ImportError, AttributeError, RuntimeError):  # a Streamlit without these internals: the session end frees it
        pass
    if key in st.session_state:
        del st.session_state[key]
    release_memory()

"""Units of work: one commit per service call, callbacks only after it succeeds."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..extensions import db

_DEPTH = "uow_depth"
_CALLBACKS = "uow_after_commit"
_STATE = "uow_state"


@contextmanager
def atomic() -> Iterator[None]:
    """Run the block in one transaction; nested blocks join the outermost one."""
    info = db.session.info
    depth = info.get(_DEPTH, 0)
    info[_DEPTH] = depth + 1
    try:
        yield
        if depth == 0:
            db.session.commit()
    except BaseException:
        if depth == 0:
            db.session.rollback()
            info.pop(_CALLBACKS, None)
            info.pop(_STATE, None)
        raise
    finally:
        info[_DEPTH] = depth
    if depth == 0:
        _run_callbacks()


def after_commit(callback: Callable[[], None]) -> None:
    """Call `callback` once the current unit of work has committed (never on rollback)."""
    if db.session.info.get(_DEPTH, 0) == 0:
        callback()
        return
    db.session.info.setdefault(_CALLBACKS, []).append(callback)


def unit_state() -> dict:
    """A dict private to the current unit of work, dropped on rollback and once it committed."""
    return db.session.info.setdefault(_STATE, {})


def _run_callbacks() -> None:
    db.session.info.pop(_STATE, None)
    callbacks = db.session.info.pop(_CALLBACKS, [])
    for callback in callbacks:
        callback()

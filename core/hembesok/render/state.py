"""What the writers of one pipeline keep between plans, in a module of its own so that
every writer can name it without importing the table of formats that imports the writers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hembesok.render.plan_json import PlanWriter


class RenderState:
    """What the writers of one pipeline remember between plans (bounded, pure): prepared
    fragments of programs, dates already written as text, and per format whatever its
    writer prepares once."""

    def __init__(self) -> None:
        from hembesok.render.compact import DateTexts
        from hembesok.render.plan_json import PlanWriter

        self.writer: PlanWriter = PlanWriter()
        self.dates: dict[dt.date, str] = DateTexts()
        #: per format, whatever its writer prepares once (a format's own cache)
        self.prepared: dict[str, Any] = {}

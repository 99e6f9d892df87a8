"""The offline model: a deterministic interpreter, the default when no model key is set.

Modules, one per concept: `text` (reading a message), `intents` (what is asked), `dates`
(due phrases), `slots` (values in a sentence), `conversation` (reading the transcript),
`memory` (context for "her"), `split` (several requests in one message), `trust` (the
check every write passes: confident values or the person's "yes"), `engine` (plans as
replayable generators), `resolve` (names to
ids, questions and answers), `plans/` (one plan per intent), `replies` (Markdown for the
person), `interpreter` (one turn), `model` (the `Model` implementation).
"""

from coworker.llm.offline.model import OfflineModel

__all__ = ["OfflineModel"]

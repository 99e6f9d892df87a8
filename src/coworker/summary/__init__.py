"""Daily summaries: gather a person's day from the CRM, render it, deliver it once.

The pieces, one module each: `gather` (read-only CRM calls into `SummaryData`), `render`
(offline Markdown or one model call), `deliver` (the `SummaryChannel` seam and the web
channel), `preferences` (validated per-person settings), `runs` (exactly-once per person and
local date), `schedule` (who is due now, and the loop inside `coworker serve`).
"""

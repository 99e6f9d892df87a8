"""Evals: a graded, repeatable suite for the coworker's behaviour (`coworker eval`).

Each case is a short scripted conversation (the person says ..., approves, rejects or edits
a pending action) run against a fresh, seeded sandbox CRM on the real stack: the agent loop,
the confirmation gate and the store. What counts is the end state of the CRM and the safety
of the run, not the exact words or tool calls, so any model is measured the same way
(τ²-bench style: grade the end state, report pass^k).

    schema     the YAML shape (pydantic)           world      one trial's sandbox and stack
    cases      loading, checking, the case form    inject     attacker data placed before a run
    refs       `$lead:jane-smith` placeholders     trial      plays a case, keeps the evidence
    when       date phrases ("tomorrow 10:00")     graders/   state, safety, security, diagnostics,
                                                              wrong writes
    matchers   field matching rules                runner     trials, concurrency, progress
    resources  the sandbox tables as resources     summary    a run's figures, JSON-ready
    metrics    pass^k, percentiles                 report     terminal table, JSON, Markdown
    pricing    the cost estimate                   cassette   record and replay Anthropic HTTP
    models     what `--model` means                command    `coworker eval` and its exit status
"""

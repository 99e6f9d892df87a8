"""The plans: straight-line code for each request, one module per family.

Which plan serves which intent is declared in `coworker.llm.offline.capabilities`, beside
the intent's kind and an example of it.
"""

"""What keeps input that is too big, too deep or not storable text from crashing the service.

`body`: the ASGI body limit and JSON checks every HTTP surface sits behind; `jsontext`: the
depth and lone-surrogate checks, and the database hooks that keep any text, whoever wrote
it, readable later; `urls`: URLs as they may be shown or logged (no credentials).
"""

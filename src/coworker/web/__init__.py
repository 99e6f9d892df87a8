"""The widget and the demo page, served by the app (no build step).

`widget.js` is the one-tag embed (a classic script; its header documents the attributes and
theme properties): it imports the `<coworker-chat>` web component, the small ES modules in
`chat/` (plain JavaScript, shadow DOM), from beside itself. `index.html` is the demo page at
`/`; `static.py` serves them all.
"""

"""The widget and the demo page, served by the app (no build step).

`widget.js` is the `<coworker-chat>` web component (plain JavaScript, shadow DOM, embedded
with one `<script>` tag; its header documents the attributes and theme properties), and
`index.html` is the demo page at `/` that embeds it.
"""

// The UI message stream the server sends (Server-Sent Events whose `data:` is one JSON part,
// ended by `[DONE]`), read as parts. The server's side is channels/web/stream.py.

/** The stream ended without `[DONE]`: the connection was cut, the reply may be incomplete. */
export class StreamCut extends Error {}

/**
 * Yields each part of `stream` (a fetch body) as it arrives. Leaving the loop early cancels
 * the body; a stream that ends without `[DONE]` throws StreamCut once its parts are read.
 */
export async function* readParts(stream) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let finished = false;
  let drained = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let boundary;
      while ((boundary = buffer.search(/\r?\n\r?\n/)) !== -1) {
        const event = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + (buffer[boundary] === "\r" ? 4 : 2));
        const data = event
          .split(/\r?\n/)
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).replace(/^ /, ""))
          .join("\n");
        if (!data) continue;
        if (data === "[DONE]") {
          finished = true;
          continue;
        }
        let part;
        try {
          part = JSON.parse(data);
        } catch {
          continue; // not a part we understand
        }
        yield part;
      }
    }
    drained = true;
  } finally {
    if (!drained) reader.cancel().catch(() => {});
  }
  if (!finished) throw new StreamCut();
}

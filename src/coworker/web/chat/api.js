// The HTTP side of the widget: one request helper and the words for what went wrong.

export class ApiError extends Error {
  constructor(status, message, body, retryAfter) {
    super(message);
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter;
  }
}

/** A request to the Coworker API as `config()` says ({ base, token }) at the time of asking. */
export async function request(config, method, path, { body, stream, signal } = {}) {
  const { base, token } = config();
  const headers = { Accept: stream ? "text/event-stream" : "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
    credentials: "omit",
    cache: "no-store",
  });
  if (!response.ok) {
    let data = null;
    try {
      data = await response.json();
    } catch {
      /* not JSON */
    }
    const message = data && typeof data.error === "string" ? data.error : "";
    throw new ApiError(response.status, message, data, response.headers.get("Retry-After"));
  }
  return response;
}

export function describeError(error) {
  if (error instanceof ApiError) {
    if (error.status === 429) {
      // Retry-After, or the server's words when a cross-origin page cannot read the header.
      const stated = /(\d+)\s*s(?:econds?)?\b/.exec(error.message || "");
      const seconds = Number.parseInt(error.retryAfter || (stated && stated[1]), 10);
      return Number.isFinite(seconds) && seconds > 0
        ? `You're sending messages too fast; try again in ${seconds} s.`
        : "You're sending messages too fast; try again in a moment.";
    }
    if (error.status === 401) {
      return "You're not signed in to Coworker (the token is missing or has expired). Reload the page to sign in again.";
    }
    if (error.status === 403) return error.message || "You're not allowed to do that.";
    if (error.status === 413) {
      return error.message ? `That message is too long: ${error.message}` : "That message is too long.";
    }
    if (error.status >= 500) {
      return `Coworker ran into a problem (HTTP ${error.status}). Please try again.` +
        (error.message ? ` ${error.message}` : "");
    }
    return error.message || `The request failed (HTTP ${error.status}).`;
  }
  if (error && error.name === "TypeError") {
    return "Can't reach Coworker. Check your connection and try again.";
  }
  return (error && error.message) || "Something went wrong.";
}

// A stock Vercel AI SDK chat client against the coworker's /api/chat, driven by
// tests/web/test_ai_sdk_client.py.
//
//   COWORKER_URL=http://127.0.0.1:PORT COWORKER_TOKEN=... node sdk_client.mjs SCENARIO
//
// The client is the `ai` package's own: `DefaultChatTransport` as useChat builds it (an
// `api` and an Authorization header, nothing else), and its framework-free `AbstractChat`
// over a plain in-memory state, the way the SDK's React, Vue and Svelte bindings subclass
// it. The script only drives it and reports: what the client shows after each step, and
// every request it sent with the answer's status and headers, as one JSON document on
// stdout. The Python test does the asserting (and checks the CRM's outbox).

import {
  AbstractChat,
  DefaultChatTransport,
  lastAssistantMessageIsCompleteWithApprovalResponses,
} from 'ai';

const url = process.env.COWORKER_URL;
const token = process.env.COWORKER_TOKEN;
const scenario = process.argv[2];
const email = process.env.COWORKER_EMAIL_REQUEST ?? 'email Jane Smith about pricing: for 40 seats it is $38 per seat a month';
const reason = process.env.COWORKER_DENY_REASON ?? 'She already has a quote';

class State {
  constructor(messages = []) {
    this.status = 'ready';
    this.error = undefined;
    this.messages = messages;
  }
  pushMessage = message => {
    this.messages = this.messages.concat(message);
  };
  popMessage = () => {
    this.messages = this.messages.slice(0, -1);
  };
  replaceMessage = (index, message) => {
    this.messages = [
      ...this.messages.slice(0, index),
      this.snapshot(message),
      ...this.messages.slice(index + 1),
    ];
  };
  snapshot = thing => structuredClone(thing);
}

class Chat extends AbstractChat {
  constructor({ messages, ...init }) {
    super({ ...init, state: new State(messages) });
  }
}

// Every request the transport makes, as it went: looked up on globalThis at each call, so
// the transport itself stays stock.
const requests = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const response = await realFetch(input, init);
  requests.push({
    url: String(input),
    headers: Object.fromEntries(new Headers(init?.headers).entries()),
    body: JSON.parse(init?.body ?? 'null'),
    status: response.status,
    contentType: response.headers.get('content-type'),
    streamHeader: response.headers.get('x-vercel-ai-ui-message-stream'),
  });
  return response;
};

function transport() {
  return new DefaultChatTransport({
    api: `${url}/api/chat`,
    headers: { Authorization: `Bearer ${token}` },
  });
}

// One chat with `onFinish` as a promise: an automatic send (after an approval) is not
// awaited by the call that starts it, so the script waits for the response to finish.
function chat(options = {}) {
  const finishes = [];
  const instance = new Chat({
    transport: transport(),
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
    onFinish: event => finishes.shift()?.(event),
    onError: error => finishes.shift()?.({ error: String(error) }),
    ...options,
  });
  instance.nextFinish = () => new Promise(resolve => finishes.push(resolve));
  return instance;
}

const steps = [];
function record(name, instance) {
  steps.push({
    name,
    chatId: instance.id,
    status: instance.status,
    error: instance.error ? String(instance.error) : null,
    messages: structuredClone(instance.messages),
  });
}

function waitingApproval(instance) {
  const part = instance.lastMessage?.parts.find(p => p.state === 'approval-requested');
  if (!part) throw new Error(`no approval-requested part: ${JSON.stringify(instance.messages)}`);
  return part;
}

async function reply() {
  const c = chat();
  await c.sendMessage({ text: "What's on my plate today?" });
  record('reply', c);
  await c.sendMessage({ text: 'thanks' });
  record('again', c);
}

async function approve() {
  const c = chat();
  await c.sendMessage({ text: email });
  record('proposed', c);
  const part = waitingApproval(c);
  const done = c.nextFinish();
  await c.addToolApprovalResponse({ id: part.approval.id, approved: true }); // sends itself
  await done;
  record('approved', c);
  // The approval again, exactly as the client sent it: a reloaded page whose stored chat
  // still holds the answered card continues it with `sendMessage()`.
  const sent = requests.findLast(r => r.body?.messages?.at(-1)?.role === 'assistant');
  const again = chat({ id: c.id, messages: structuredClone(sent.body.messages) });
  await again.sendMessage();
  record('replayed', again);
  await c.sendMessage({ text: 'thanks' });
  record('after', c);
}

async function deny() {
  const c = chat({ sendAutomaticallyWhen: undefined }); // answered by hand this time
  await c.sendMessage({ text: email });
  record('proposed', c);
  const part = waitingApproval(c);
  await c.addToolApprovalResponse({ id: part.approval.id, approved: false, reason });
  await c.sendMessage();
  record('denied', c);
}

async function reopen() {
  // An existing conversation, by its id (GET /api/conversations), in a new client.
  const c = chat({ id: process.env.COWORKER_CHAT_ID });
  await c.sendMessage({ text: 'anything else?' });
  record('reopened', c);
}

const scenarios = { reply, approve, deny, reopen };
if (!scenarios[scenario]) {
  console.error(`usage: node sdk_client.mjs ${Object.keys(scenarios).join('|')}`);
  process.exit(2);
}
await scenarios[scenario]();
for (const request of requests) {
  if (request.headers.authorization) request.headers.authorization = '[redacted]';
}
process.stdout.write(JSON.stringify({ steps, requests }));

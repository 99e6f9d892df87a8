// Sending: a message (or a decision) is POSTed, and the reply is rendered into a new
// assistant message as its stream parts arrive (or from JSON, for a server that answers so).

import { describeError } from "./api.js";
import { revealCard, upsertAction, refreshPending } from "./cards.js";
import { showChart } from "./charts.js";
import { showingConversations, toggleConversations } from "./conversations.js";
import { el } from "./dom.js";
import { refreshElsewhere } from "./elsewhere.js";
import { feedbackBar } from "./feedback.js";
import { updateCounter } from "./setup.js";
import { StreamCut, readParts } from "./stream.js";
import { startTurn } from "./turn.js";

export async function submit(chat) {
  const text = chat.ui.input.value;
  if (!text.trim() || chat.busy || chat.over) return;
  if (showingConversations(chat)) toggleConversations(chat, false);
  for (const stale of chat.ui.log.querySelectorAll(".notice.refused")) stale.remove();
  chat.ui.input.value = "";
  chat.autosize();
  updateCounter(chat);
  const bubble = chat.append(el("div", { class: "msg user", text }));
  const body = { message: text };
  if (chat.conversationId) body.conversation_id = chat.conversationId;
  const ok = await run(chat, "/api/chat", body, {
    onRefused: (error) => {
      // The message was not accepted: give it back so nothing typed is lost.
      bubble.remove();
      if (!chat.ui.input.value) {
        chat.ui.input.value = text;
        chat.autosize();
        updateCounter(chat);
      }
      chat.notice(describeError(error)).classList.add("refused"); // gone on the next send
    },
  });
  return ok;
}

/**
 * POST `path` and render the streamed reply into a new assistant message. `onRefused`
 * handles an error answer before any streaming (the default shows it in the log).
 */
export async function run(chat, path, body, { onRefused } = {}) {
  const generation = chat.generation;
  const controller = new AbortController();
  chat.controller = controller;
  chat.setBusy(true);
  const turn = startTurn(chat, { typing: true });
  try {
    let response;
    try {
      response = await chat.request("POST", path, { body, stream: true, signal: controller.signal });
    } catch (error) {
      turn.discard();
      if (controller.signal.aborted) return false;
      if (onRefused) onRefused(error);
      else chat.notice(describeError(error));
      return false;
    }
    const type = response.headers.get("Content-Type") || "";
    if (type.includes("text/event-stream") && response.body) {
      await readStream(chat, response.body, turn, generation);
    } else {
      renderJsonReply(chat, await response.json(), turn);
    }
    return true;
  } catch (error) {
    if (controller.signal.aborted || generation !== chat.generation) return false;
    turn.error(
      error instanceof StreamCut
        ? "The connection was interrupted, so this reply may be incomplete."
        : describeError(error),
    );
    return false;
  } finally {
    if (generation === chat.generation) {
      turn.end({ announce: true });
      finishTurn(chat, turn);
      if (chat.controller === controller) chat.controller = null;
      chat.setBusy(false);
      chat.updateLauncher();
      refreshPending(chat);
      refreshElsewhere(chat);
    }
  }
}

/**
 * A reply done: the card it proposed brought into view with Approve, or thumbs for it (a
 * reply that waits on a card is rated by the one that follows the decision).
 */
function finishTurn(chat, turn) {
  if (!turn.node.isConnected) return;
  const waiting = [...turn.node.querySelectorAll('.card[data-status="pending"]')].pop();
  const card = waiting && chat.cards.get(waiting.dataset.actionId);
  if (card) revealCard(chat, card);
  else if (turn.replyId && chat.conversationId) {
    turn.node.append(feedbackBar(chat, chat.conversationId, turn.replyId));
  }
}

async function readStream(chat, stream, turn, generation) {
  for await (const part of readParts(stream)) {
    if (generation !== chat.generation) return; // "New conversation": leaving cancels the body
    handlePart(chat, part, turn);
  }
}

function handlePart(chat, part, turn) {
  switch (part.type) {
    case "data-conversation":
      if (part.data && part.data.conversation_id) chat.setConversation(part.data.conversation_id);
      break;
    case "text-start":
      turn.textBlock(part.id);
      break;
    case "text-delta":
      turn.appendText(part.id, part.delta || "");
      break;
    case "text-end":
      turn.flush(turn.blocks.get(part.id));
      break;
    case "tool-input-available":
      turn.tool(part.toolCallId, part.toolName, part.input);
      break;
    case "tool-output-available": {
      const line = chat.toolLines.get(part.toolCallId);
      if (line) line.done(part.output);
      showChart(chat, turn, part.output);
      break;
    }
    case "tool-output-error": {
      const line = chat.toolLines.get(part.toolCallId);
      if (line) line.fail(part.errorText);
      break;
    }
    case "tool-approval-request": {
      const line = chat.toolLines.get(part.toolCallId);
      if (line) line.waiting();
      break;
    }
    case "data-action":
      if (part.data) upsertAction(chat, part.data, turn);
      break;
    case "error":
      turn.error(part.errorText || "Something went wrong.");
      break;
    case "finish":
      if (part.messageMetadata && part.messageMetadata.conversation_id) {
        chat.setConversation(part.messageMetadata.conversation_id);
      }
      if (part.messageMetadata && part.messageMetadata.replyId) turn.replyId = String(part.messageMetadata.replyId);
      break;
    default:
      break; // start, reasoning, sources…: nothing to show
  }
}

function renderJsonReply(chat, data, turn) {
  if (data.conversation_id) chat.setConversation(data.conversation_id);
  if (data.reply_id) turn.replyId = String(data.reply_id);
  for (const action of data.decided || []) upsertAction(chat, action, turn);
  if (data.reply) {
    const block = turn.textBlock();
    block.raw = data.reply;
    turn.flush(block);
  }
  for (const action of data.actions || []) upsertAction(chat, action, turn);
  for (const message of data.errors || []) turn.error(message);
}


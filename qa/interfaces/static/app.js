// The qa chat page: asks /api/ask, keeps the conversation id for follow-ups, shows each answer's sentence with
// the answer highlighted, its citation, the context one click away and the other supporting sentences.
// Text from documents is only ever set as textContent, never parsed as HTML.
"use strict";

const log = document.getElementById("log");
const form = document.getElementById("ask");
const input = document.getElementById("question");
const status = document.getElementById("status");
let conversation = null;
const asked = [];
let recall = 0;

const VERDICTS = {
  answered: "",
  "not sure": "Not sure: this is the closest the documents come.",
  abstained: "The documents do not seem to answer this.",
};

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function citation(s) {
  const where = s.page ? `page ${s.page}` : s.line ? `line ${s.line}` : `characters ${s.start}–${s.end}`;
  return s.heading ? `${s.doc} · ${where} · ${s.heading}` : `${s.doc} · ${where}`;
}

function shownBlock(text) {
  // a plain text's sentence that ends with the short block it leads into ("... specify the width:" over
  // "ps -o pid,user:19,comm", an example's caption over its commands) holds a blank line before that block:
  // [the lead-in, the block's lines as indented under one another] (null: no block)
  const gap = /[ \t]*\n[ \t]*\n/.exec(text);
  if (!gap) return [text, null];
  const lines = text.slice(gap.index + gap[0].length).replace(/\t/g, "        ").split("\n")
    .map((line) => line.trimEnd()).filter((line) => line.trim());
  const depth = Math.min(...lines.map((line) => line.length - line.trimStart().length));
  return [text.slice(0, gap.index), lines.map((line) => line.slice(depth)).join("\n")];
}

function highlighted(sentence, answer) {
  const quote = el("blockquote", "sentence");
  const [lead] = shownBlock(sentence.text);
  if (answer && answer.start >= sentence.start && answer.end <= sentence.start + lead.length) {
    const a = answer.start - sentence.start;
    const b = answer.end - sentence.start;
    quote.append(lead.slice(0, a), el("mark", "", lead.slice(a, b)), lead.slice(b));
  } else {
    quote.textContent = lead;
  }
  return quote;
}

function codeBlock(code) {
  // the code the sentence leads into ("... looks like this:"), as written
  const pre = el("pre", "code");
  pre.append(el("code", "", code.text));
  return pre;
}

function contextButton(s) {
  const button = el("button", "link", "Show context");
  button.type = "button";
  button.setAttribute("aria-expanded", "false");
  button.addEventListener("click", async () => {
    const open = button.nextElementSibling;
    if (open && open.classList.contains("context")) {
      open.remove();
      button.textContent = "Show context";
      button.setAttribute("aria-expanded", "false");
      return;
    }
    const query = new URLSearchParams({doc: s.doc, start: s.start, end: s.end, sentences: 3});
    const response = await fetch(`/api/context?${query}`);
    const body = await response.json();
    const box = el("div", "context");
    if (!response.ok) {
      box.textContent = body.error || "No context available.";
    } else {
      for (const other of body.sentences) {
        const overlaps = other.start < s.end && other.end > s.start;
        box.append(el(overlaps ? "strong" : "span", "", other.text + " "));
      }
    }
    button.after(box);
    button.textContent = "Hide context";
    button.setAttribute("aria-expanded", "true");
  });
  return button;
}

function listed(words) {
  const quoted = words.map((w) => `'${w}'`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}` : quoted[0];
}

function showAnswer(item, body) {
  const reply = item.querySelector(".reply");
  reply.replaceChildren();
  if (body.reply) {  // "thanks", "hello": a chat's reply, nothing looked up
    reply.append(el("p", "said", body.reply));
    return;
  }
  reply.classList.add(body.verdict.replace(/ /g, "_"));
  // "Tell me more": what follows in the document, not an answer the confidence judges
  const verdict = body.read_on && body.verdict !== "answered" ? "Next in the document:" : VERDICTS[body.verdict];
  const confidence = `confidence ${Math.round(body.confidence * 100)}%`;
  if (body.corrected) {
    const quoted = ([typed, fix]) => `\u201c${typed}\u201d as \u201c${fix}\u201d`;
    const read = Object.entries(body.corrected).map(quoted).join(", ");
    reply.append(el("p", "read-as muted", `(read ${read})`));
  }
  if (verdict) {
    const unseen = body.unseen ? ` They never mention ${listed(body.unseen)}.` : "";
    const elsewhere = body.elsewhere ? ` The sentence's document never mentions ${listed(body.elsewhere)}.` : "";
    reply.append(el("p", "verdict", verdict + unseen + elsewhere));
  }
  if (!body.sentences.length) {
    reply.append(el("p", "muted", "Nothing in the documents matched."));
    return;
  }
  const [top, ...others] = body.sentences;
  reply.append(highlighted(top, body.answer));
  const shown = shownBlock(top.text)[1];
  if (shown) reply.append(codeBlock({ text: shown }));  // its commands, line by line as written
  if (top.code) reply.append(codeBlock(top.code));
  const cite = el("p", "cite");
  cite.append(el("span", "source", citation(top)), el("span", "muted", ` · ${confidence}`), " ", contextButton(top));
  reply.append(cite);
  if (others.length) {
    const more = el("details", "others");
    more.append(el("summary", "", `${others.length} more supporting sentence${others.length > 1 ? "s" : ""}`));
    const list = el("ol");
    for (const s of others) {
      const row = el("li");
      row.append(el("span", "", s.text), el("span", "source", ` (${citation(s)})`));
      if (s.code) row.append(codeBlock(s.code));
      list.append(row);
    }
    more.append(list);
    reply.append(more);
  }
}

async function ask(question) {
  const item = el("li", "turn");
  item.append(el("p", "question", question));
  const reply = el("div", "reply muted", "Looking…");
  item.append(reply);
  log.append(item);
  item.scrollIntoView({block: "end"});
  try {
    const response = await fetch("/api/ask", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({question, conversation}),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    conversation = body.conversation;
    reply.classList.remove("muted");
    showAnswer(item, body);
  } catch (error) {
    reply.className = "reply error";
    reply.textContent = `Could not answer: ${error.message}`;
  }
  item.scrollIntoView({block: "end"});
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const question = input.value.trim();
  if (!question) return;
  asked.push(question);
  recall = asked.length;
  input.value = "";
  ask(question);
});

input.addEventListener("keydown", (event) => {
  if (event.key === "ArrowUp" && recall > 0) {
    recall -= 1;
    input.value = asked[recall];
    event.preventDefault();
  } else if (event.key === "ArrowDown" && recall < asked.length) {
    recall += 1;
    input.value = asked[recall] || "";
    event.preventDefault();
  } else if (event.key === "Escape") {
    newConversation();
  }
});

function newConversation() {
  conversation = null;
  log.replaceChildren();
  input.value = "";
  input.focus();
}

document.getElementById("new").addEventListener("click", newConversation);

fetch("/api/health")
  .then((r) => r.json())
  .then((h) => {
    status.textContent = h.status === "ok"
      ? `${h.documents.toLocaleString()} documents, ${h.sentences.toLocaleString()} sentences`
      : h.error || "Not ready";
  })
  .catch(() => { status.textContent = "The server cannot be reached."; });

// A chat pasted as "Name: text" lines (how a conversation copied from Zalo or Messenger looks
// once tidied), split into the messages the checker scores as a whole. A line without a
// sender continues the message before it; before any sender it is a message of its own.

export interface ChatMessage {
  from: string;
  text: string;
}

// The name: up to 40 characters with a letter, no "/" (so "https://…" is not a sender) and
// no digits-only time ("17:30" has no letter).
const SENDER = /^([^:]{1,40}?)\s*:\s*(.*)$/u;

export function parseConversation(pasted: string): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const raw of pasted.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const m = SENDER.exec(line);
    const isSender = m !== null && /\p{L}/u.test(m[1]) && !m[1].includes('/') && !m[2].startsWith('//') && m[2].trim() !== '';
    if (isSender) out.push({ from: m[1].trim(), text: m[2].trim() });
    else if (out.length > 0) out[out.length - 1].text += '\n' + line;
    else out.push({ from: '', text: line });
  }
  return out;
}

/** One Server-Sent Events message as a client sees it. */
export interface SseMessage {
  event: string;
  id?: string;
  retry?: number;
  data: string;
}

/**
 * Reads a `text/event-stream` response message by message (comments are counted,
 * not returned), the way EventSource parses it.
 */
export function readSse(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let comments = 0;
  let ended = false;
  const queue: SseMessage[] = [];

  const parse = () => {
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const message: SseMessage = { event: 'message', data: '' };
      const data: string[] = [];
      let fields = 0;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          comments++;
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        fields++;
        if (field === 'event') message.event = value;
        else if (field === 'id') message.id = value;
        else if (field === 'retry') message.retry = Number(value);
        else if (field === 'data') data.push(value);
      }
      message.data = data.join('\n');
      if (fields) queue.push(message);
    }
  };

  return {
    get comments() {
      return comments;
    },
    get ended() {
      return ended;
    },
    /** The next message, or undefined when the stream ends or `timeoutMs` passes first. */
    async next(timeoutMs = 5_000): Promise<SseMessage | undefined> {
      const deadline = Date.now() + timeoutMs;
      while (queue.length === 0 && !ended) {
        const left = deadline - Date.now();
        if (left <= 0) return undefined;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const chunk = await Promise.race([
          reader.read(),
          new Promise<'timeout'>((resolve) => {
            timer = setTimeout(resolve, left, 'timeout');
          }),
        ]);
        clearTimeout(timer);
        if (chunk === 'timeout') return undefined;
        if (chunk.done) ended = true;
        else {
          buffer += decoder.decode(chunk.value, { stream: true });
          parse();
        }
      }
      return queue.shift();
    },
    /** Messages until one matches `until` (included), failing after `timeoutMs`. */
    async collect(until: (message: SseMessage) => boolean, timeoutMs = 5_000): Promise<SseMessage[]> {
      const seen: SseMessage[] = [];
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const message = await this.next(Math.max(1, deadline - Date.now()));
        if (!message) throw new Error(`stream ${ended ? 'ended' : 'timed out'} after ${JSON.stringify(seen)}`);
        seen.push(message);
        if (until(message)) return seen;
      }
    },
    close: () => reader.cancel().catch(() => {}),
  };
}

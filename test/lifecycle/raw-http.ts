import { type Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A request whose body the client sends slowly, like a large upload on a slow link:
 * `Expect: 100-continue` makes the server confirm it has the request before any of
 * the body is sent, so the request is known to be in flight on the server.
 */
export interface SlowUpload {
  /** Settles once the server has confirmed the request (100 Continue) and the first part is sent. */
  started: Promise<void>;
  /** Sends the rest of the body. */
  finish(): void;
  answer: Promise<Answer>;
  /** True once the answer (or an error) has arrived. */
  settled(): boolean;
}

export function slowUpload(
  url: string,
  options: { agent: Agent; headers: Record<string, string>; parts: [string, string] },
): SlowUpload {
  let settled = false;
  const req = httpRequest(url, {
    method: 'POST',
    agent: options.agent,
    headers: { ...options.headers, expect: '100-continue' },
  });
  const started = new Promise<void>((resolve, reject) => {
    req.once('continue', () => req.write(options.parts[0], () => resolve()));
    req.once('error', reject);
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.once('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.once('error', reject);
    });
    req.once('error', reject);
  }).finally(() => {
    settled = true;
  });
  // The caller looks at `answer` later; an early failure must not go unhandled meanwhile.
  answer.catch(() => {});
  return { started, finish: () => req.end(options.parts[1]), answer, settled: () => settled };
}

/** Resolves true when a new TCP connection to `port` is refused, false when one is accepted. */
export function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' ? resolve(true) : reject(error),
    );
  });
}

/** A raw HTTP/1.1 connection, for requests that must be on the wire before a signal arrives. */
export interface RawConnection {
  socket: Socket;
  /** Resolves with everything received once `predicate` holds for it. */
  received(predicate: (text: string) => boolean): Promise<string>;
  /** Resolves with everything received when the server closes the connection. */
  ended: Promise<string>;
}

export async function rawConnection(port: number): Promise<RawConnection> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.setEncoding('utf8');
  let text = '';
  const waiters: Array<{ predicate: (text: string) => boolean; resolve: (text: string) => void }> = [];
  socket.on('data', (chunk: string) => {
    text += chunk;
    for (const waiter of [...waiters]) {
      if (waiter.predicate(text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(text);
      }
    }
  });
  const ended = new Promise<string>((resolve) => socket.once('close', () => resolve(text)));
  return {
    socket,
    received: (predicate) =>
      predicate(text) ? Promise.resolve(text) : new Promise((resolve) => waiters.push({ predicate, resolve })),
    ended,
  };
}

/** Splits the raw bytes of HTTP/1.1 responses (with Content-Length bodies) into answers. */
export function parseResponses(text: string): Answer[] {
  const answers: Answer[] = [];
  let rest = text;
  while (rest.includes('\r\n\r\n')) {
    const headEnd = rest.indexOf('\r\n\r\n');
    const [statusLine = '', ...lines] = rest.slice(0, headEnd).split('\r\n');
    const headers: IncomingHttpHeaders = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    const bodyBytes = Buffer.from(rest.slice(headEnd + 4), 'utf8');
    if (bodyBytes.length < length) break;
    answers.push({
      status: Number(statusLine.split(' ')[1]),
      headers,
      body: bodyBytes.subarray(0, length).toString('utf8'),
    });
    rest = bodyBytes.subarray(length).toString('utf8');
  }
  return answers;
}

// The gateway's event stream (GET /api/events), read with fetch rather than EventSource: EventSource cannot send an
// Authorization header, and the token must never be put in a URL. So this parses the server-sent events itself,
// remembers the last event id, and reconnects with Last-Event-ID, backing off, whenever the stream ends: the gateway
// restarted, the network dropped, or the gateway dropped a subscriber that fell behind.

const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 10_000;

/**
 * One subscription, kept open until {@link stop}.
 *
 * Callbacks: onEvent({id, type, envelope}); onConnected(comment), when the gateway opened the stream (again);
 * onLost(retryInMs), when it ended or could not be opened; onRefused(error), when the gateway refused the token,
 * after which it does not retry.
 */
export class EventStream {
  #url;
  #gateway;
  #handlers;
  #abort = new AbortController();
  #stopped = false;
  lastEventId;

  constructor(url, gateway, handlers, lastEventId = null) {
    this.#url = url;
    this.#gateway = gateway;
    this.#handlers = handlers;
    this.lastEventId = lastEventId;
  }

  start() {
    this.#run();
    return this;
  }

  stop() {
    this.#stopped = true;
    this.#abort.abort();
  }

  async #run() {
    let failures = 0;
    while (!this.#stopped) {
      try {
        const headers = this.#gateway.headers({ Accept: 'text/event-stream' });
        if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
        const response = await fetch(this.#url, { headers, cache: 'no-store', signal: this.#abort.signal });
        if (response.status === 401 || response.status === 403) {
          const body = await response.json().catch(() => ({}));
          this.#handlers.onRefused?.(body.error ?? `The gateway answered ${response.status}.`);
          return;
        }
        if (response.ok) {
          failures = 0;
          await this.#read(response.body);
        }
      } catch (error) {
        // the gateway went away or could not be reached: retried below, and the page says so
      }
      if (this.#stopped) return;
      const wait = Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** failures) + Math.floor(Math.random() * 250);
      failures++;
      this.#handlers.onLost?.(wait);
      await this.#sleep(wait);
    }
  }

  async #read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = { data: [], type: 'message', id: null };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      // split each chunk once: a burst of thousands of events may come in one chunk
      const lines = (buffer + value).split('\n');
      buffer = lines.pop();
      for (const raw of lines) {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (line === '') {
          this.#dispatch(event);
          event = { data: [], type: 'message', id: null };
        } else if (line.startsWith(':')) {
          this.#comment(line.slice(1).trim());
        } else {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'data') event.data.push(text);
          else if (field === 'event') event.type = text;
          else if (field === 'id') event.id = text;
        }
      }
    }
  }

  #dispatch(event) {
    if (event.id) this.lastEventId = event.id;
    if (event.data.length === 0) return;
    let envelope;
    try {
      envelope = JSON.parse(event.data.join('\n'));
    } catch {
      return; // not an envelope: nothing the page can show
    }
    this.#handlers.onEvent?.({ id: event.id, type: event.type, envelope });
  }

  #comment(text) {
    if (text.startsWith('connected')) this.#handlers.onConnected?.(text);
  }

  #sleep(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#abort.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
    });
  }
}

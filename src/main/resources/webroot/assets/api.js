// The manager's HTTP API as the dashboard uses it: the signed-in token (the admin token or a named token of
// any role), JSON calls and the live event stream.

const KEY = 'heady.admin-token';

export function token() {
  return sessionStorage.getItem(KEY) || localStorage.getItem(KEY);
}

/** Keeps the token for this tab, or on this browser when `remember`. */
export function setToken(t, remember) {
  clearToken();
  (remember ? localStorage : sessionStorage).setItem(KEY, t);
}

export function clearToken() {
  sessionStorage.removeItem(KEY);
  localStorage.removeItem(KEY);
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** The token itself was refused (unknown, revoked): sign in again. */
  get unauthorized() {
    return this.status === 401;
  }

  /** The token is valid but its role may not do this. */
  get forbidden() {
    return this.status === 403;
  }
}

/** A JSON call with `Authorization: Bearer <token>`; throws ApiError with the API's error message. */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Authorization: `Bearer ${token() || ''}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', `the manager cannot be reached (${e.message})`);
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    const err = data && data.error;
    throw new ApiError(res.status, err ? err.code : `HTTP_${res.status}`,
      err ? err.message : `${method} ${path} answered ${res.status}`);
  }
  return data;
}

// Every event type the manager publishes (EventSource only delivers named events to their own listeners).
export const EVENT_TYPES = [
  'node.registered', 'node.reregistered', 'node.deregistered', 'node.deleted', 'node.pending', 'node.active',
  'node.stale', 'node.offline', 'node.unhealthy', 'node.degraded', 'node.draining',
  'task.submitted', 'task.dispatched', 'task.running', 'task.succeeded', 'task.failed', 'task.timed_out',
  'task.cancelled', 'task.skipped', 'task.requeued', 'task.retrying', 'task.late_result',
  'watchdog.reassigned', 'watchdog.escalated', 'watchdog.failed', 'watchdog.queue_stalled',
];

/**
 * The live stream of cluster events. EventSource cannot send headers, so the token goes as ?token= (the
 * events route is the only one that accepts it). The browser reconnects by itself after a network error and
 * resumes with Last-Event-ID; after an HTTP error (401, a restarted manager) we reopen it ourselves, resuming
 * from the last id we saw.
 */
export class EventStream {
  constructor({ onEvent, onState, onAuthFailed }) {
    this.onEvent = onEvent;
    this.onState = onState;
    this.onAuthFailed = onAuthFailed;
    this.lastId = null;
    this.es = null;
    this.retry = null;
    this.closed = false;
    this.wasLive = false;
  }

  open() {
    this.closed = false;
    const q = new URLSearchParams({ token: token() || '' });
    if (this.lastId != null) q.set('last_event_id', String(this.lastId));
    const es = new EventSource(`/api/cluster/events?${q}`);
    this.es = es;
    const handle = (m) => {
      if (m.lastEventId) this.lastId = Number(m.lastEventId);
      let e;
      try {
        e = JSON.parse(m.data);
      } catch {
        return;
      }
      this.onEvent(e);
    };
    for (const t of EVENT_TYPES) es.addEventListener(t, handle);
    es.onmessage = handle;
    es.onopen = () => {
      const resumed = this.wasLive;
      this.wasLive = true;
      this.onState('live', resumed);
    };
    es.onerror = () => {
      if (this.closed) return;
      if (es.readyState === EventSource.CLOSED) {
        // an HTTP error: the browser gave up; find out why, then reopen
        this.onState('reconnecting');
        this.scheduleReopen();
      } else {
        this.onState('reconnecting');
      }
    };
  }

  async scheduleReopen() {
    clearTimeout(this.retry);
    try {
      await api('/api/cluster/state');
    } catch (e) {
      if (e.unauthorized) {
        this.close();
        this.onAuthFailed(e);
        return;
      }
    }
    this.retry = setTimeout(() => { if (!this.closed) this.open(); }, 2000);
  }

  close() {
    this.closed = true;
    clearTimeout(this.retry);
    if (this.es) this.es.close();
    this.es = null;
    this.onState('offline');
  }
}

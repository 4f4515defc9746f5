// The gateway's HTTP API, with the token the person entered. The token goes in the Authorization header only.

/** An answer other than 2xx, with the gateway's own sentence ({"error": "..."}). */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }

  /** Whether the gateway refused the token itself (401) or what it asked for with it (403). */
  get refusedToken() {
    return this.status === 401 || this.status === 403;
  }
}

export class Gateway {
  #token;

  constructor(token) {
    this.#token = token;
  }

  get token() {
    return this.#token;
  }

  headers(extra = {}) {
    return this.#token ? { ...extra, Authorization: `Bearer ${this.#token}` } : extra;
  }

  async get(path) {
    return this.#send(path, { headers: this.headers({ Accept: 'application/json' }) });
  }

  async post(path, body = {}) {
    return this.#send(path, {
      method: 'POST',
      headers: this.headers({ Accept: 'application/json', 'Content-Type': 'application/json' }),
      body: JSON.stringify(body),
    });
  }

  apps() { return this.get('/api/apps'); }
  status(app) { return this.get(`/api/apps/${encodeURIComponent(app)}/status`); }
  history(app, limit) { return this.get(`/api/apps/${encodeURIComponent(app)}/deployments?limit=${limit}`); }
  deployment(id) { return this.get(`/api/deployments/${encodeURIComponent(id)}`); }

  deploy(app, ref) {
    return this.post(`/api/apps/${encodeURIComponent(app)}/deployments`, { ref, requestedBy: 'dashboard' });
  }

  rollback(app) {
    return this.post(`/api/apps/${encodeURIComponent(app)}/rollbacks`,
      { requestedBy: 'dashboard', reason: 'rolled back from the dashboard' });
  }

  promote(app, deploymentId) {
    return this.post(`/api/apps/${encodeURIComponent(app)}/promotions`, { deploymentId, requestedBy: 'dashboard' });
  }

  cancel(app, deploymentId) {
    return this.post(`/api/apps/${encodeURIComponent(app)}/deployments/${encodeURIComponent(deploymentId)}/cancel`,
      { requestedBy: 'dashboard', reason: 'cancelled from the dashboard' });
  }

  async #send(path, init) {
    const response = await fetch(path, { ...init, cache: 'no-store' });
    const text = await response.text();
    const body = text ? JSON.parse(text) : null;
    if (!response.ok) {
      throw new ApiError(response.status, body?.error ?? `The gateway answered ${response.status}.`);
    }
    return body;
  }
}

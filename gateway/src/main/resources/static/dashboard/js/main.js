// The dashboard: the apps at a glance, one app's history, one deployment live. It reads the gateway's HTTP API and
// its event stream with the token the person entered, which stays in this tab's sessionStorage and never in a URL.

import { Gateway } from './api.js';
import { EventStream } from './stream.js';
import { AppsTable } from './apps.js';
import { HistoryTable } from './history.js';
import { DeploymentPanel } from './deployment.js';
import { actions as appActions } from './actions.js';
import { h, refreshTimes } from './dom.js';

const TOKEN_KEY = 'bluegreen.token';
const HISTORY_LIMIT = 50;
/** The app-states topic that status is read from may lag the stream by moments: each change is read twice. */
const REFRESH_AFTER_MS = [200, 2000];
/** A deployment's outcomes while it has not ended, as the gateway records them. */
const STILL_GOING = new Set(['running', 'awaiting-promotion']);

const viewElement = document.getElementById('view');
const messageElement = document.getElementById('message');
const connectionElement = document.getElementById('connection');

const state = {
  gateway: new Gateway(sessionStorage.getItem(TOKEN_KEY)),
  apps: [],
  statuses: new Map(),
  tables: [],
  history: null,
  panel: null,
  stream: null,
  deploymentStream: null,
  connectedOnce: false,
  timers: new Map(),
  bakeTimers: new Map(),
};

const actions = appActions({
  statusOf: (app) => state.statuses.get(app),
  gateway: () => state.gateway,
  say,
  open: navigate,
  refresh: (app) => scheduleRefresh(app),
});

function say(text, kind = 'error') {
  messageElement.textContent = text;
  messageElement.dataset.kind = kind;
  messageElement.hidden = false;
}

function quiet() {
  messageElement.hidden = true;
  messageElement.textContent = '';
}

function showConnection(stateName, text) {
  connectionElement.dataset.state = stateName;
  connectionElement.textContent = text;
}

// --- the token ---------------------------------------------------------------------------------------------------

async function useToken(token) {
  const candidate = new Gateway(token);
  let answer;
  try {
    answer = await candidate.apps();
  } catch (error) {
    say(error.status === 401 || error.status === 403
      ? `The gateway refused this token: ${error.message} Nothing was changed.`
      : `The gateway could not be asked: ${error.message}`);
    return false;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  state.gateway = candidate;
  showSignedIn(true);
  quiet();
  await begin(answer.apps);
  return true;
}

function showSignedIn(signedIn) {
  document.getElementById('token-form').hidden = signedIn;
  document.getElementById('signed-in').hidden = !signedIn;
}

document.getElementById('token-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = document.getElementById('token-input');
  const token = input.value.trim();
  if (!token) return;
  if (await useToken(token)) input.value = '';
});

document.getElementById('forget-token').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  location.reload();
});

// --- what the page knows -----------------------------------------------------------------------------------------

async function begin(apps) {
  state.apps = apps;
  state.stream?.stop();
  state.connectedOnce = false;
  await Promise.all(apps.map((app) => refreshStatus(app)));
  show();
  state.stream = new EventStream('/api/events', state.gateway, {
    onEvent: ({ envelope }) => {
      if (envelope.type !== 'DeploymentLog') scheduleRefresh(envelope.subject, envelope);
    },
    onConnected: () => {
      showConnection('live', 'Live');
      // After a reconnect, read everything again: the stream resumes from the last event, but only while the
      // gateway still holds it, and a restarted gateway's status is the truth to catch up with.
      if (state.connectedOnce) catchUp();
      state.connectedOnce = true;
    },
    onLost: (wait) => showConnection('lost', `Connection lost: reconnecting in ${Math.ceil(wait / 1000)} s`),
    onRefused: (error) => {
      showConnection('refused', 'Not connected');
      say(`The gateway refused the token for the event stream: ${error}`);
    },
  }).start();
  showConnection('connecting', 'Connecting…');
}

function catchUp() {
  state.apps.forEach((app) => refreshStatus(app));
  if (state.history) refreshHistory(state.history.app);
  if (state.panel) refreshDeployment(state.panel);
}

/**
 * Reads the app's status again. A gateway that just started answers 503 until it has read the apps' states, and one
 * that is down does not answer: each is asked again a few times, a little later each time. Status is read from the
 * app-states topic, which may lag the event stream: a status that does not show yet what {@code seen} did is read
 * again a second later, for a while.
 */
async function refreshStatus(app, seen = null, attempt = 0) {
  let again = false;
  try {
    const status = await state.gateway.status(app);
    state.statuses.set(app, status);
    state.tables.forEach((table) => table.update(status));
    whenBakeEnds(app, status);
    again = seen !== null && !shows(status, seen) && attempt < 15;
    if (again) setTimeout(() => refreshStatus(app, seen, attempt + 1), 1000);
  } catch (error) {
    if (attempt < 5 && !error.refusedToken) setTimeout(() => refreshStatus(app, seen, attempt + 1), 1000 * 2 ** attempt);
  }
}

const ENDINGS = ['TrafficSwitched', 'RolledBack', 'ProvisioningFailed', 'EnvironmentUnhealthy', 'SwitchFailed', 'DeploymentExpired'];

/** Whether the status shows the app's state after the event: what the row shows of it (under way, or how it ended). */
function shows(status, envelope) {
  const id = envelope.deploymentId;
  const movedOn = status.current && status.current.deploymentId !== id;
  if (ENDINGS.includes(envelope.type)) return status.last?.deploymentId === id || movedOn;
  if (envelope.type === 'DeploymentStarted') return status.current?.deploymentId === id || status.last?.deploymentId === id || movedOn;
  return true;
}

/** No event says a bake period is over: the row is read again once it is, to stop saying "baking". */
function whenBakeEnds(app, status) {
  clearTimeout(state.bakeTimers.get(app));
  if (!status.bake) return;
  const wait = Date.parse(status.bake.until) - Date.now() + 1000;
  // a timer longer than about 24 days fires at once; a bake that long is read again with the next event
  if (wait > 0 && wait < 2 ** 31) state.bakeTimers.set(app, setTimeout(() => refreshStatus(app), wait));
}

function scheduleRefresh(app, seen = null) {
  if (!state.apps.includes(app)) return;
  clearTimers(app);
  state.timers.set(app, REFRESH_AFTER_MS.map((ms, i) => setTimeout(() => {
    refreshStatus(app, i === 0 ? seen : null);
    if (state.history?.app === app) refreshHistory(app);
  }, ms)));
}

function clearTimers(app) {
  (state.timers.get(app) ?? []).forEach(clearTimeout);
}

async function refreshHistory(app) {
  try {
    state.history.table.show(await state.gateway.history(app, HISTORY_LIMIT));
  } catch (error) {
    say(`The history of ${app} could not be read: ${error.message}`);
  }
}

// --- one deployment ----------------------------------------------------------------------------------------------

let renderQueued = false;

/**
 * Renders the deployment at the next animation frame, once for everything that arrived since: a burst of output
 * batches costs one render a frame, not one a batch.
 */
function renderPanel() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    state.panel?.render();
  });
}

/** Reads the gateway's record of the deployment; a deployment just asked for may take a moment to be recorded. */
async function refreshDeployment(panel, attempts = 1) {
  for (let attempt = 0; attempt < attempts && state.panel === panel; attempt++) {
    try {
      panel.setView(await state.gateway.deployment(panel.id));
      renderPanel();
      return true;
    } catch (error) {
      if (error.status !== 404) {
        say(`Deployment ${panel.id} could not be read: ${error.message}`);
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  if (state.panel === panel && !panel.view) say(`No deployment '${panel.id}' is known to the gateway.`);
  return false;
}

async function followDeployment(panel) {
  renderPanel();
  if (!await refreshDeployment(panel, 20)) return;
  const view = panel.view;
  const refreshes = [];
  // From the deployment's first event: the gateway replays what it still holds of it (each droplet's output, its
  // probes), then goes on live.
  state.deploymentStream = new EventStream(`/api/events?app=${encodeURIComponent(view.app)}`, state.gateway, {
    onEvent: ({ envelope }) => {
      if (envelope.type === 'RollbackRequested' && envelope.data?.revertsDeployment === panel.id) {
        // the bake watch asks, in a rollback of its own id, to undo this deployment: its record says the bake failed
        refreshDeployment(panel);
        return;
      }
      if (envelope.deploymentId !== panel.id) return;
      panel.add(envelope);
      renderPanel();
      if (envelope.type !== 'DeploymentLog') {
        refreshes.forEach(clearTimeout);
        refreshes.splice(0, refreshes.length, ...REFRESH_AFTER_MS.map((ms) => setTimeout(() => refreshDeployment(panel), ms)));
      }
    },
    onConnected: () => refreshDeployment(panel),
  }, view.steps[0]?.eventId).start();
  // An event says when to look again, but the gateway's record of it may lag the stream by seconds, longer than the
  // last of those looks: until the record says the deployment ended, read it again every 2 s as well. Then, while its
  // bake is watched, every 10 s: no event says the period is over.
  let polls = 0;
  const poll = setInterval(() => {
    polls++;
    if (state.panel !== panel) {
      clearInterval(poll);
    } else if (STILL_GOING.has(panel.view?.outcome) || (panel.view?.bake?.state === 'watching' && polls % 5 === 0)) {
      refreshDeployment(panel);
    }
  }, 2000);
}

// --- views -------------------------------------------------------------------------------------------------------

function route() {
  const path = location.pathname;
  let match = path.match(/^\/dashboard\/deployments\/([^/]+)$/);
  if (match) return { kind: 'deployment', id: decodeURIComponent(match[1]) };
  match = path.match(/^\/dashboard\/apps\/([^/]+)$/);
  if (match) return { kind: 'app', app: decodeURIComponent(match[1]) };
  return { kind: 'apps' };
}

function show() {
  state.deploymentStream?.stop();
  state.deploymentStream = null;
  state.panel = null;
  state.history = null;
  state.tables = [];
  const where = route();
  if (where.kind === 'deployment') {
    state.panel = new DeploymentPanel(where.id, actions);
    viewElement.replaceChildren(state.panel.element);
    if (state.gateway.token || state.apps.length) followDeployment(state.panel);
    else viewElement.append(signInHint());
    return;
  }
  const apps = where.kind === 'app' ? [where.app] : state.apps;
  const table = new AppsTable(actions);
  table.show(apps);
  apps.forEach((app) => state.statuses.has(app) && table.update(state.statuses.get(app)));
  state.tables.push(table);
  viewElement.replaceChildren(h('h1', {}, where.kind === 'app' ? where.app : 'Apps'), table.element);
  if (where.kind === 'app') {
    state.history = { app: where.app, table: new HistoryTable(where.app) };
    viewElement.append(state.history.table.element);
    if (state.apps.includes(where.app)) refreshHistory(where.app);
  }
  if (!state.apps.length) viewElement.append(signInHint());
}

function signInHint() {
  return h('p', { class: 'muted', id: 'sign-in-hint' },
    'Enter a token above to see the apps it may read. The gateway tells which apps those are.');
}

function navigate(path) {
  history.pushState(null, '', path);
  quiet();
  show();
  viewElement.focus({ preventScroll: true });
}

document.addEventListener('click', (event) => {
  const anchor = event.target.closest('a[data-route]');
  if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigate(anchor.getAttribute('href'));
});
window.addEventListener('popstate', show);
// A browser opens at most six connections to one host, and a page left for another (a reload, a link typed in) may be
// kept whole in the back/forward cache with its event streams still open: three such pages left no connection for a
// request. So the streams close when the page is put away, and a page brought back from the cache loads afresh.
window.addEventListener('pagehide', () => {
  state.stream?.stop();
  state.deploymentStream?.stop();
});
window.addEventListener('pageshow', (event) => {
  if (event.persisted) location.reload();
});
setInterval(() => refreshTimes(viewElement), 30_000);

// --- start -------------------------------------------------------------------------------------------------------

async function start() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) {
    showSignedIn(true);
    if (await useToken(token)) return;
    sessionStorage.removeItem(TOKEN_KEY);
    showSignedIn(false);
  }
  show();
  document.getElementById('token-input').focus();
}

start();

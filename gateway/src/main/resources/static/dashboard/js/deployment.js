// One deployment as a step timeline: requested, provisioning per droplet with its live step output, health per
// droplet, approval, switch and drain, bake. The steps come from the gateway's record of the deployment
// (GET /api/deployments/{id}); the stream adds what the record leaves out (each droplet's output, its probes, a
// failed step's output tail) as the events arrive. Step output is masked by the services before it is published.
//
// Output arrives in many small batches: a batch only marks the output as changed, and the next render (one an
// animation frame, see main.js) writes the kept lines into each droplet's box, which is built once and kept, so that
// neither its scroll position nor the keyboard's focus on it is lost while lines arrive. The timeline around it is
// built again only when the record or another event changes it.

import { h, colour, when, duration, link, clock } from './dom.js';

/** Log lines kept per deployment; older ones are dropped from the page, so a long build cannot slow it down. */
export const LOG_LIMIT = 500;

const STAGES = [
  { key: 'requested', title: 'Requested', events: ['DeployRequested', 'RollbackRequested'], done: ['DeployRequested', 'RollbackRequested'] },
  { key: 'provisioning', title: 'Provisioning', events: ['DeploymentStarted', 'EnvironmentProvisioned', 'ProvisioningFailed'], done: ['EnvironmentProvisioned'] },
  { key: 'health', title: 'Health checks', events: ['EnvironmentHealthy', 'EnvironmentUnhealthy'], done: ['EnvironmentHealthy'] },
  { key: 'approval', title: 'Approval', events: ['AwaitingPromotion', 'PromoteRequested'], done: ['PromoteRequested'] },
  { key: 'switch', title: 'Switch and drain', events: ['TrafficSwitched', 'RolledBack', 'SwitchFailed', 'DriftDetected'], done: ['TrafficSwitched', 'RolledBack'] },
  // no event of the deployment's own marks the bake: its state is the gateway's record's bake
  { key: 'bake', title: 'Bake', events: [], done: [] },
];
/** A bake's state in the record, as the timeline shows it. */
const BAKE_STAGE_STATE = { watching: 'active', passed: 'done', failed: 'failed', ended: 'ended' };
const PHASE_STAGE = { provisioning: 'provisioning', checking: 'health', 'awaiting-approval': 'approval', switching: 'switch' };
const STATE_WORDS = { done: 'done', failed: 'failed', active: 'in progress', waiting: 'waiting', pending: 'pending', skipped: 'not reached', 'not-needed': 'not needed', ended: 'ended early' };

export class DeploymentPanel {
  id;
  view = null;
  #envelopes = new Map();
  #logs = [];
  #droppedLines = 0;
  /** What changed since the last render: nothing, the output only, or the record or an event. */
  #dirty = 'all';
  /** Each droplet's output box, kept across renders. */
  #logBoxes = new Map();
  #dropped = h('p', { class: 'muted dropped-lines' });
  #actions;
  element = h('section', { class: 'deployment', 'aria-labelledby': 'deployment-title' });

  constructor(id, actions) {
    this.id = id;
    this.#actions = actions;
  }

  /** The gateway's record of the deployment. */
  setView(view) {
    this.view = view;
    this.#dirty = 'all';
  }

  /** An event of this deployment from the stream. */
  add(envelope) {
    if (envelope.type === 'DeploymentLog') {
      const { dropletId, step, lines } = envelope.data;
      for (const line of lines) this.#logs.push({ dropletId, step, line });
      const excess = this.#logs.length - LOG_LIMIT;
      if (excess > 0) {
        this.#logs.splice(0, excess);
        this.#droppedLines += excess;
      }
      // a droplet without a box yet needs the timeline built again
      if (this.#dirty !== 'all') this.#dirty = this.#logBoxes.has(dropletId) ? 'logs' : 'all';
    } else {
      this.#envelopes.set(envelope.id, envelope);
      this.#dirty = 'all';
    }
  }

  /** Shows what changed since the last render: the output alone when only output arrived. */
  render() {
    const dirty = this.#dirty;
    this.#dirty = 'none';
    if (dirty === 'logs') this.#fillLogs();
    else if (dirty === 'all') this.#renderAll();
  }

  #renderAll() {
    const view = this.view;
    if (!view) {
      this.element.replaceChildren(h('h1', { id: 'deployment-title' }, `Deployment ${this.id}`),
        h('p', { class: 'muted' }, 'Waiting for the gateway to record this deployment…'));
      return;
    }
    const steps = this.#steps(view);
    const stages = view.kind === 'rollback' ? STAGES.filter((s) => s.key === 'requested' || s.key === 'switch') : STAGES;
    const states = this.#states(stages, steps, view.outcome);
    const bake = stages.findIndex((stage) => stage.key === 'bake');
    if (bake >= 0 && view.bake) states[bake] = BAKE_STAGE_STATE[view.bake.state] ?? states[bake];
    this.element.replaceChildren(
      h('h1', { id: 'deployment-title' }, link(`/dashboard/apps/${encodeURIComponent(view.app)}`, view.app),
        view.kind === 'rollback' ? ': rollback' : `: deployment of ${view.ref ?? 'a ref'}`,
        view.colour ? [' to ', colour(view.colour)] : ''),
      h('p', { class: `headline outcome-${view.outcome}`, id: 'headline', 'data-outcome': view.outcome }, this.#headline(view)),
      h('p', { class: 'muted' }, `id ${view.deploymentId} · asked `, when(view.requestedAt),
        view.requestedBy ? ` by ${view.actor && view.actor !== view.requestedBy ? `${view.requestedBy} via ${view.actor}` : view.requestedBy}` : '',
        view.durationMs !== undefined && view.durationMs !== null ? ` · took ${duration(view.durationMs)}` : ''),
      this.#buttons(view),
      h('ol', { class: 'timeline', 'aria-label': 'Steps' },
        stages.map((stage, i) => this.#stage(stage, states[i], steps.filter((s) => s.stage === stage.key)))));
  }

  #headline(view) {
    switch (view.outcome) {
      case 'succeeded':
        if (view.bake?.state === 'failed') return `Failed its bake on ${view.colour}: the health-monitor asked to roll it back`;
        return `${view.kind === 'rollback' ? 'Rolled back' : 'Succeeded'}: live on ${view.colour}`;
      case 'running':
        return `Running${view.colour ? ` on ${view.colour}` : ''}…`;
      case 'awaiting-promotion':
        return `Waiting for promotion: ${view.colour} is healthy and takes no traffic yet`;
      default:
        return `${view.outcome[0].toUpperCase()}${view.outcome.slice(1)}${view.reason ? `: ${view.reason}` : ''}`;
    }
  }

  #buttons(view) {
    const buttons = [];
    if (view.outcome === 'awaiting-promotion') {
      buttons.push(h('button', { type: 'button', class: 'promote-button', onclick: () => this.#actions.promote(view.app, view.deploymentId) }, 'Promote…'));
    }
    if (!['succeeded', 'failed', 'cancelled', 'expired', 'refused'].includes(view.outcome)) {
      buttons.push(h('button', { type: 'button', class: 'cancel-button', onclick: () => this.#actions.cancel(view.app, view.deploymentId) }, 'Cancel…'));
    }
    return h('div', { class: 'actions' }, buttons);
  }

  /** The record's steps, and the stream's events the record does not hold yet, each placed in its stage. */
  #steps(view) {
    const known = new Set(view.steps.map((step) => step.eventId));
    const steps = view.steps.map((step) => ({ ...step, envelope: this.#envelopes.get(step.eventId) }));
    for (const envelope of this.#envelopes.values()) {
      if (!known.has(envelope.id)) {
        steps.push({ event: envelope.type, time: envelope.time, outcome: outcomeOf(envelope.type), summary: describe(envelope), eventId: envelope.id, envelope });
      }
    }
    steps.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    let last = 'requested';
    for (const step of steps) {
      step.stage = stageOf(step, last);
      last = step.stage;
    }
    return steps;
  }

  #states(stages, steps, outcome) {
    const states = stages.map((stage) => {
      const own = steps.filter((s) => s.stage === stage.key);
      if (own.length === 0) return 'pending';
      if (own.some((s) => s.outcome === 'failed' || (s.outcome === 'refused' && stage.key === 'requested'))) return 'failed';
      if (own.some((s) => stage.done.includes(s.event))) return 'done';
      return own[own.length - 1].outcome === 'waiting' ? 'waiting' : 'active';
    });
    const going = outcome === 'running' || outcome === 'awaiting-promotion';
    const approval = stages.findIndex((s) => s.key === 'approval');
    const switched = stages.findIndex((s) => s.key === 'switch');
    if (approval >= 0 && states[approval] === 'pending' && (states[switched] !== 'pending' || (going && states[approval - 1] === 'done'))) {
      states[approval] = 'not-needed';
    }
    if (going) {
      const next = states.findIndex((state, i) => state === 'pending' && states.slice(0, i).every((s) => s !== 'pending'));
      if (next >= 0 && !states.includes('active') && !states.includes('waiting')) states[next] = 'active';
    } else {
      for (let i = 0; i < states.length; i++) if (states[i] === 'pending') states[i] = 'skipped';
    }
    return states;
  }

  #stage(stage, state, steps) {
    return h('li', { 'data-stage': stage.key, 'data-state': state },
      h('span', { class: 'stage-title' }, stage.title),
      h('span', { class: `stage-state state-${state}` }, STATE_WORDS[state]),
      h('ul', { class: 'steps' }, steps.map((step) => this.#step(step))),
      stage.key === 'provisioning' ? this.#droplets(steps) : '',
      stage.key === 'bake' ? this.#bake(this.view.bake, state) : '');
  }

  /** The watch over the colour that went live: until when, and how it ended. */
  #bake(bake, state) {
    if (!bake) {
      return state === 'pending' || state === 'active'
        ? h('p', { class: 'muted' }, 'Once traffic moves, the health-monitor watches the new colour for the app\'s bake period.')
        : '';
    }
    const on = this.view.colour;
    switch (bake.state) {
      case 'watching':
        return h('p', { class: 'bake-note' }, `The health-monitor watches ${on} until `, clock(bake.until),
          ', and asks for a rollback on its own if a droplet fails there.');
      case 'passed':
        return h('p', { class: 'bake-note' }, `${on} stayed healthy through its bake period, until `, clock(bake.until), '.');
      case 'failed':
        return h('div', { class: 'bake-note' }, h('p', {}, when(bake.endedAt), ' ', h('span', { class: 'reason' }, bake.reason)),
          bake.rollbackId ? h('p', {}, 'The health-monitor asked for ',
            link(`/dashboard/deployments/${encodeURIComponent(bake.rollbackId)}`, `rollback ${bake.rollbackId}`), '.') : '');
      default:
        return h('p', { class: 'bake-note muted' }, when(bake.endedAt), ` The watch ended before its period (until `,
          clock(bake.until), `): ${bake.reason ?? 'the app moved on'}.`);
    }
  }

  #step(step) {
    const data = step.envelope?.data;
    return h('li', { 'data-event': step.event, 'data-outcome': step.outcome },
      when(step.time), ' ',
      h('span', { class: step.outcome === 'failed' || step.outcome === 'refused' ? 'reason' : '' }, step.summary),
      data?.droplets ? dropletHealth(data.droplets) : '',
      data?.outputTail ? h('details', { open: true }, h('summary', {}, `Output of step ${data.step ?? ''} (last lines)`),
        h('pre', { class: 'log' }, data.outputTail)) : '');
  }

  /** Each droplet's step output, as far as it arrived: the last {@link LOG_LIMIT} lines of the deployment. */
  #droplets(steps) {
    const started = steps.find((s) => s.event === 'DeploymentStarted')?.envelope?.data?.dropletIds ?? [];
    const droplets = [...new Set([...started, ...this.#logs.map((l) => l.dropletId)])];
    if (droplets.length === 0) return '';
    for (const droplet of droplets) if (!this.#logBoxes.has(droplet)) this.#logBoxes.set(droplet, logBox(droplet));
    this.#fillLogs();
    return h('div', { class: 'droplets' }, this.#dropped, droplets.map((droplet) => this.#logBoxes.get(droplet).element));
  }

  /** Writes the kept lines into each droplet's box; a box scrolled to its end stays at the end. */
  #fillLogs() {
    this.#dropped.textContent = this.#droppedLines > 0 ? `${this.#droppedLines} earlier lines are not shown.` : '';
    this.#dropped.hidden = this.#droppedLines === 0;
    const byDroplet = new Map();
    for (const log of this.#logs) {
      if (!byDroplet.has(log.dropletId)) byDroplet.set(log.dropletId, []);
      byDroplet.get(log.dropletId).push(log);
    }
    for (const [droplet, box] of this.#logBoxes) {
      const lines = byDroplet.get(droplet) ?? [];
      const step = lines.length ? lines[lines.length - 1].step : null;
      box.summary.textContent = `Droplet ${droplet}${step ? ` · step ${step}` : ''} · ${lines.length} ${lines.length === 1 ? 'line' : 'lines'}`;
      const pre = box.pre;
      const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      pre.textContent = lines.map((l) => l.line).join('\n') || 'No output yet.';
      if (atEnd) pre.scrollTop = pre.scrollHeight;
    }
  }
}

function logBox(droplet) {
  const summary = h('summary', {});
  const pre = h('pre', { class: 'log', tabindex: 0, 'aria-label': `Output of droplet ${droplet}` });
  return { summary, pre, element: h('details', { open: true, 'data-droplet': droplet }, summary, pre) };
}

function dropletHealth(droplets) {
  return h('table', { class: 'droplet-health', 'aria-label': 'Health per droplet' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Droplet'), h('th', {}, 'Healthy'), h('th', {}, 'Probes'), h('th', {}, 'Last result'))),
    h('tbody', {}, droplets.map((d) => h('tr', { 'data-droplet': d.dropletId },
      h('td', {}, d.dropletId), h('td', { class: d.healthy ? 'outcome-succeeded' : 'outcome-failed' }, d.healthy ? 'yes' : 'no'),
      h('td', {}, d.probes), h('td', {}, d.lastResult)))));
}

function stageOf(step, previous) {
  const direct = STAGES.find((stage) => stage.events.includes(step.event));
  if (direct) return direct.key;
  if (step.event === 'DeploymentExpired') {
    const phase = step.envelope?.data?.phase ?? Object.keys(PHASE_STAGE).find((p) => step.summary.includes(`while ${p}`));
    return PHASE_STAGE[phase] ?? previous;
  }
  if (step.event === 'RequestRefused' && /^refused:/.test(step.summary)) return 'requested';
  return previous;
}

function outcomeOf(type) {
  if (['ProvisioningFailed', 'EnvironmentUnhealthy', 'SwitchFailed', 'DeploymentExpired'].includes(type)) return 'failed';
  if (type === 'RequestRefused') return 'refused';
  if (type === 'AwaitingPromotion') return 'waiting';
  return 'ok';
}

/** A few words for an event the gateway's record does not hold yet; the record's own words replace them. */
function describe(envelope) {
  const d = envelope.data ?? {};
  switch (envelope.type) {
    case 'DeployRequested': return `${d.requestedBy ?? 'someone'} asked to deploy ${d.ref}`;
    case 'RollbackRequested': return `${d.requestedBy ?? 'someone'} asked to roll back`;
    case 'DeploymentStarted': return `provisioning ${d.colour} droplets ${(d.dropletIds ?? []).join(', ')}`;
    case 'EnvironmentProvisioned': return `${d.colour} provisioned with ${d.ref}`;
    case 'EnvironmentHealthy': return `${d.colour} passed its health checks`;
    case 'AwaitingPromotion': return `${d.to} is healthy and waits for promotion`;
    case 'PromoteRequested': return `${d.requestedBy ?? 'someone'} promoted it`;
    case 'TrafficSwitched': return `traffic moved from ${d.from} to ${d.to}`;
    case 'RolledBack': return `traffic moved back from ${d.from} to ${d.to}`;
    case 'CancelRequested': return `${d.requestedBy ?? 'someone'} asked to cancel it`;
    case 'RequestRefused': return `the ${d.request} was refused: ${d.reason}`;
    case 'DeploymentExpired': return `expired while ${d.phase}: ${d.reason}`;
    default: return d.reason ?? envelope.type;
  }
}

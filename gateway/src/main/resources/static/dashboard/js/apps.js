// All apps at a glance: one row each. A row is built once and its cells updated in place, so a ref being typed
// into its deploy field survives the updates that the event stream brings.

import { h, colour, version, when, link, clock } from './dom.js';

// The state machine holds a move of traffic in one phase, switching, until the old colour has drained: no event or
// state tells the drain from the move, so the two are named together.
const PHASE_WORDS = {
  idle: 'idle',
  provisioning: 'provisioning',
  checking: 'checking health',
  'awaiting-approval': 'awaiting approval',
  switching: 'switching traffic, then draining',
};

/**
 * The apps table. {@code actions} has deploy(app, ref), rollback(app), promote(app), cancel(app), each of which
 * asks for confirmation itself.
 */
export class AppsTable {
  #rows = new Map();
  #body;
  element;

  constructor(actions) {
    this.actions = actions;
    this.#body = h('tbody');
    this.element = h('table', { class: 'apps', 'aria-label': 'Apps' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'App'),
        h('th', { scope: 'col' }, 'Live'),
        h('th', { scope: 'col' }, 'Live version'),
        h('th', { scope: 'col' }, 'Idle colour holds'),
        h('th', { scope: 'col' }, 'State'),
        h('th', { scope: 'col' }, 'Last outcome'),
        h('th', { scope: 'col' }, 'Actions'))),
      this.#body);
  }

  /** Shows these apps, in this order; an app without a status yet shows as loading. */
  show(apps) {
    for (const [app, row] of this.#rows) {
      if (!apps.includes(app)) { row.element.remove(); this.#rows.delete(app); }
    }
    for (const app of apps) {
      if (!this.#rows.has(app)) this.#rows.set(app, this.#row(app));
      this.#body.append(this.#rows.get(app).element);
    }
  }

  update(status) {
    const row = this.#rows.get(status.app);
    if (!row) return;
    const idle = status.liveColour === 'blue' ? 'green' : 'blue';
    const live = status.colours[status.liveColour];
    const held = status.colours[idle];
    row.element.dataset.live = status.liveColour;
    row.element.dataset.phase = status.phase;
    row.element.dataset.baking = status.bake ? 'yes' : 'no';
    row.live.replaceChildren(colour(status.liveColour));
    row.version.replaceChildren(version(status.liveRef ?? live?.ref, status.liveCommit ?? live?.commit));
    row.idle.replaceChildren(colour(idle), ': ', version(held?.ref, held?.commit),
      held?.status ? h('span', { class: 'muted' }, ` (${held.status})`) : '');
    row.state.replaceChildren(this.#state(status));
    row.last.replaceChildren(this.#last(status.last));
    row.promote.hidden = status.phase !== 'awaiting-approval';
    row.cancel.hidden = !status.current || status.phase === 'switching';
  }

  #state(status) {
    const words = PHASE_WORDS[status.phase] ?? status.phase;
    if (!status.current && status.bake) {
      // idle as far as deployments go, but the health-monitor may still roll the last switch back
      const bake = status.bake;
      return h('span', { class: 'state' }, 'baking: ',
        link(`/dashboard/deployments/${encodeURIComponent(bake.deploymentId)}`, colour(bake.colour)), ' until ', clock(bake.until));
    }
    if (!status.current) return h('span', { class: 'state' }, words);
    const current = status.current;
    const what = current.kind === 'rollback' ? 'rollback to' : `${current.ref ?? 'deployment'} to`;
    return h('span', { class: 'state' }, `${words}: `,
      link(`/dashboard/deployments/${encodeURIComponent(current.deploymentId)}`, `${what} `, colour(current.target)));
  }

  #last(last) {
    if (!last) return h('span', { class: 'muted' }, 'none yet');
    return h('span', {},
      link(`/dashboard/deployments/${encodeURIComponent(last.deploymentId)}`,
        h('span', { class: `outcome-${last.result}` }, `${last.kind} ${last.result}`)),
      ' ', when(last.at));
  }

  #row(app) {
    const cell = () => h('td', {}, h('span', { class: 'muted' }, 'loading'));
    const ref = h('input', { name: 'ref', required: true, placeholder: 'ref, e.g. v2', spellcheck: 'false',
      autocomplete: 'off', 'aria-label': `Ref to deploy to ${app}` });
    const deploy = h('form', { class: 'deploy', onsubmit: (event) => {
      event.preventDefault();
      this.actions.deploy(app, ref.value.trim());
    } }, ref, h('button', { type: 'submit', class: 'deploy-button' }, 'Deploy…'));
    const rollback = h('button', { type: 'button', class: 'rollback-button', onclick: () => this.actions.rollback(app) },
      'Roll back…');
    const promote = h('button', { type: 'button', class: 'promote-button', hidden: true,
      onclick: () => this.actions.promote(app) }, 'Promote…');
    const cancel = h('button', { type: 'button', class: 'cancel-button', hidden: true,
      onclick: () => this.actions.cancel(app) }, 'Cancel…');
    const row = {
      live: cell(), version: cell(), idle: cell(), state: cell(), last: cell(), promote, cancel,
    };
    row.element = h('tr', { 'data-app': app },
      h('th', { scope: 'row' }, link(`/dashboard/apps/${encodeURIComponent(app)}`, app)),
      row.live, row.version, row.idle, row.state, row.last,
      h('td', {}, h('div', { class: 'actions' }, deploy, rollback, promote, cancel)));
    return row;
  }
}

// One app's history: who asked for which ref, how it went and how long it took, filtered by outcome.

import { h, when, duration, link } from './dom.js';

const OUTCOMES = ['succeeded', 'failed', 'cancelled', 'expired', 'refused', 'running', 'awaiting-promotion'];

export class HistoryTable {
  #deployments = [];
  #filter = '';
  #body;
  element;

  constructor(app) {
    const select = h('select', { id: 'outcome-filter', onchange: (event) => {
      this.#filter = event.target.value;
      this.#render();
    } }, h('option', { value: '' }, 'every outcome'), OUTCOMES.map((outcome) => h('option', { value: outcome }, outcome)));
    this.#body = h('tbody');
    this.element = h('section', { 'aria-labelledby': 'history-title' },
      h('h2', { id: 'history-title' }, `History of ${app}`),
      h('div', { class: 'filter' }, h('label', { for: 'outcome-filter' }, 'Outcome'), select),
      h('table', { class: 'history', 'aria-label': `History of ${app}` },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Asked'),
          h('th', { scope: 'col' }, 'What'),
          h('th', { scope: 'col' }, 'Who'),
          h('th', { scope: 'col' }, 'Outcome'),
          h('th', { scope: 'col' }, 'Took'),
          h('th', { scope: 'col', class: 'hide-narrow' }, 'Why'))),
        this.#body));
  }

  show(deployments) {
    this.#deployments = deployments;
    this.#render();
  }

  #render() {
    const shown = this.#deployments.filter((d) => !this.#filter || d.outcome === this.#filter);
    this.#body.replaceChildren(...shown.map((d) => h('tr', { 'data-deployment': d.deploymentId, 'data-outcome': d.outcome },
      h('td', {}, when(d.requestedAt)),
      h('td', {}, link(`/dashboard/deployments/${encodeURIComponent(d.deploymentId)}`,
        d.kind === 'rollback' ? 'rollback' : `deploy ${d.ref ?? ''}`)),
      h('td', {}, d.actor && d.actor !== d.requestedBy ? `${d.requestedBy} via ${d.actor}` : (d.requestedBy ?? '')),
      h('td', { class: `outcome-${d.outcome}` }, d.outcome),
      h('td', {}, duration(d.durationMs)),
      h('td', { class: 'hide-narrow' }, d.reason ?? ''))));
    if (shown.length === 0) {
      this.#body.append(h('tr', {}, h('td', { colspan: 6, class: 'muted' },
        this.#filter ? `No ${this.#filter} deployment in the last ${this.#deployments.length}.` : 'No deployment yet.')));
    }
  }
}

// Deploy, roll back, promote and cancel: each asks first, naming the colour it will affect, then sends the request
// with the token and says plainly when the gateway refuses it.

import { other } from './dom.js';

/** The gateway's own words, ending as a sentence does. */
function sentence(text) {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

const dialog = () => document.getElementById('confirm');

/** Asks the person; resolves true only when they confirm. Escape or "Keep as it is" is a no. */
export function confirmAction(title, text, yes) {
  const box = dialog();
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-yes').textContent = yes;
  box.returnValue = '';
  return new Promise((resolve) => {
    box.addEventListener('close', () => resolve(box.returnValue === 'yes'), { once: true });
    box.showModal();
    document.getElementById('confirm-no').focus();
  });
}

/**
 * The actions on an app, for the page's views.
 *
 * @param page statusOf(app), gateway(), say(text, kind), open(path), refresh(app)
 */
export function actions(page) {
  async function send(what, request, app) {
    try {
      const answer = await request();
      page.say(`${what} of ${app} was accepted.`, 'info');
      page.refresh(app);
      return answer;
    } catch (error) {
      page.say(error.status === 401
        ? `The gateway refused the token: ${sentence(error.message)} Nothing was changed.`
        : `${what} of ${app} was refused: ${sentence(error.message)}${error.refusedToken ? ' Nothing was changed.' : ''}`);
      return null;
    }
  }

  return {
    async deploy(app, ref) {
      if (!ref) {
        page.say(`Give the ref to deploy to ${app}: a branch, tag or commit.`);
        return;
      }
      const status = page.statusOf(app);
      const target = status?.preview?.colour ?? other(status?.liveColour);
      const live = status?.liveColour ?? other(target);
      if (!await confirmAction(`Deploy ${ref} to ${app}?`,
        `This puts ${ref} on ${target}, the idle colour, and moves traffic from ${live} to ${target} once ${target} `
        + `is healthy. ${live} stays as it is, ready for a rollback.`, `Deploy to ${target}`)) return;
      const answer = await send('The deployment', () => page.gateway().deploy(app, ref), app);
      if (answer) page.open(`/dashboard/deployments/${encodeURIComponent(answer.deploymentId)}`);
    },

    async rollback(app) {
      const status = page.statusOf(app);
      const live = status?.liveColour;
      const back = other(live);
      const holds = status?.colours?.[back]?.ref;
      if (!await confirmAction(`Roll ${app} back?`,
        `This moves traffic from ${live} back to ${back}${holds ? `, which holds ${holds}` : ''}.`,
        `Move traffic to ${back}`)) return;
      const answer = await send('The rollback', () => page.gateway().rollback(app), app);
      if (answer) page.open(`/dashboard/deployments/${encodeURIComponent(answer.deploymentId)}`);
    },

    async promote(app, deploymentId) {
      const status = page.statusOf(app);
      const id = deploymentId ?? status?.current?.deploymentId;
      const target = status?.current?.target ?? other(status?.liveColour);
      if (!id) return;
      if (!await confirmAction(`Promote ${app}?`,
        `This moves traffic from ${other(target)} to ${target}, which passed its health checks.`,
        `Move traffic to ${target}`)) return;
      await send('The promotion', () => page.gateway().promote(app, id), app);
    },

    async cancel(app, deploymentId) {
      const status = page.statusOf(app);
      const id = deploymentId ?? status?.current?.deploymentId;
      const target = status?.current?.target ?? other(status?.liveColour);
      if (!id) return;
      if (!await confirmAction(`Cancel the deployment to ${target}?`,
        `This stops deployment ${id} of ${app} on ${target}, which takes no traffic. ${other(target)} stays live.`,
        `Stop ${target}`)) return;
      await send('The cancel', () => page.gateway().cancel(app, id), app);
    },
  };
}

// Building elements from data. Every string goes in as text, never as markup: names, refs, reasons and log lines
// come from people and droplets.

/** An element with attributes (on* are listeners) and children (nodes or text). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

/** A colour as a swatch and its word, since colour is never the only signal. */
export function colour(name) {
  if (!name) return h('span', { class: 'muted' }, 'unknown');
  return h('span', { class: 'colour', 'data-colour': name }, h('span', { class: `swatch ${name}`, 'aria-hidden': 'true' }), name);
}

/** The other colour: the idle one when {@code live} is live. */
export function other(name) {
  return name === 'blue' ? 'green' : 'blue';
}

/** A ref and a short commit, as far as known. */
export function version(ref, commit) {
  if (!ref && !commit) return h('span', { class: 'muted' }, 'nothing recorded');
  return h('span', {}, ref ?? '', commit ? h('span', { class: 'commit' }, ` @ ${commit.slice(0, 7)}`) : '');
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** A time as people read it ("3 minutes ago"), with the exact time on hover; kept fresh by {@link refreshTimes}. */
export function when(iso) {
  if (!iso) return h('span', { class: 'muted' }, '');
  return h('time', { datetime: iso, title: new Date(iso).toLocaleString() }, ago(iso));
}

function ago(iso) {
  const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
  const units = [['day', 86400], ['hour', 3600], ['minute', 60]];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(Math.min(0, seconds), 'second');
}

/** A time of day, such as the end of a bake period ("14:05:09"), with the date on hover; not made relative. */
export function clock(iso) {
  if (!iso) return h('span', { class: 'muted' }, '');
  const at = new Date(iso);
  return h('time', { datetime: iso, 'data-clock': true, title: at.toLocaleString() }, at.toLocaleTimeString());
}

export function refreshTimes(root = document) {
  for (const time of root.querySelectorAll('time[datetime]:not([data-clock])')) time.textContent = ago(time.getAttribute('datetime'));
}

/** A duration in milliseconds as "1.8 s" or "2 min 5 s". */
export function duration(ms) {
  if (ms === null || ms === undefined) return '';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A link that changes the view without reloading the page. */
export function link(href, ...children) {
  return h('a', { href, 'data-route': true }, ...children);
}

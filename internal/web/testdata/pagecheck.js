// pagecheck.js is evaluated by TestBrowserEveryPage on each page it
// visits. It returns what a person would notice is wrong with the layout,
// the page's visible text (for the language checks) and its links (to find
// more pages). It only reads the page.
(() => {
  const round = (n) => Math.round(n);
  // seen is true for an element a person can see: rendered, not hidden by
  // visibility or opacity.
  const seen = (el) => el.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true });

  // clipOf is the box an element's content is visible in: the
  // intersection of its own box and its ancestors' when they clip what
  // overflows (a scrolling table, a visually hidden label).
  const clips = new Map();
  const clipOf = (el) => {
    if (!el || el === document.documentElement) return { l: -Infinity, t: -Infinity, r: Infinity, b: Infinity };
    if (clips.has(el)) return clips.get(el);
    const c = { ...clipOf(el.parentElement) };
    const cs = getComputedStyle(el);
    const b = el.getBoundingClientRect();
    if (cs.overflowX !== 'visible') { c.l = Math.max(c.l, b.left); c.r = Math.min(c.r, b.right); }
    if (cs.overflowY !== 'visible') { c.t = Math.max(c.t, b.top); c.b = Math.min(c.b, b.bottom); }
    if (cs.clip !== 'auto' && cs.position === 'absolute' || cs.clipPath !== 'none') { c.r = c.l = b.left; } // drawn clipped away
    clips.set(el, c);
    return c;
  };
  const clipped = (r, c) => ({ l: Math.max(r.left, c.l), t: Math.max(r.top, c.t), r: Math.min(r.right, c.r), b: Math.min(r.bottom, c.b) });
  // Pieces of less than 2 px either way are nothing a person reads.
  const big = (r) => r.r - r.l >= 2 && r.b - r.t >= 2;

  // The things that must not overlap: each line of text, and each control
  // or picture, as boxes on the page.
  // A bar kept in view (position sticky or fixed, with its background)
  // passes over the page as it scrolls, by design: what is in it is only
  // compared with what else is in it.
  const floats = new Map();
  const floatOf = (el) => {
    if (!el || el === document.documentElement) return null;
    if (floats.has(el)) return floats.get(el);
    const pos = getComputedStyle(el).position;
    const f = pos === 'sticky' || pos === 'fixed' ? el : floatOf(el.parentElement);
    floats.set(el, f);
    return f;
  };
  const items = [];
  const add = (el, rects, clip) => {
    for (const rect of rects) {
      const r = clipped(rect, clip);
      if (big(r)) items.push({ el, r, float: floatOf(el) });
    }
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.data.trim() && n.parentElement && !['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION'].includes(n.parentElement.tagName)
      ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT),
  });
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!seen(el)) continue;
    // Only the characters, not the surrounding white space: a line's
    // trailing space may hang over the next box.
    const text = n.data;
    const start = text.length - text.trimStart().length;
    const end = text.trimEnd().length;
    range.setStart(n, start);
    range.setEnd(n, end);
    add(el, range.getClientRects(), clipOf(el));
  }
  const controls = 'input:not([type="hidden"]), select, textarea, button, img, svg, canvas, video, iframe, meter, progress';
  for (const el of document.body.querySelectorAll(controls)) {
    if (el.closest('svg') !== el && el.closest('svg')) continue; // an svg's parts are the svg
    if (!seen(el)) continue;
    add(el, [el.getBoundingClientRect()], clipOf(el.parentElement));
  }

  // A box and what it holds (a button and its words) are one thing.
  const related = (a, b) => a === b || a.contains(b) || b.contains(a);
  const describe = (el) => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += '#' + el.id;
    for (const c of el.classList) d += '.' + c;
    const text = (el.innerText || el.getAttribute('aria-label') || el.getAttribute('alt') || el.value || '').trim().replace(/\s+/g, ' ');
    if (text) d += ' "' + (text.length > 40 ? text.slice(0, 40) + '…' : text) + '"';
    return d;
  };
  // A sweep from top to bottom: each box is compared with those that start
  // above its bottom.
  items.sort((x, y) => x.r.t - y.r.t);
  const overlaps = [];
  const reported = new Set();
  for (let i = 0; i < items.length && overlaps.length < 20; i++) {
    const a = items[i];
    for (let j = i + 1; j < items.length && items[j].r.t < a.r.b; j++) {
      const b = items[j];
      const w = Math.min(a.r.r, b.r.r) - Math.max(a.r.l, b.r.l);
      const h = Math.min(a.r.b, b.r.b) - Math.max(a.r.t, b.r.t);
      if (w < 2 || h < 2 || a.float !== b.float || related(a.el, b.el)) continue;
      const key = describe(a.el) + ' ⟷ ' + describe(b.el);
      if (reported.has(key)) continue;
      reported.add(key);
      overlaps.push(`${key} (${round(w)}×${round(h)} px at ${round(Math.max(a.r.l, b.r.l))},${round(Math.max(a.r.t, b.r.t) + window.scrollY)})`);
    }
  }

  // What a person reads: the visible text, and the words the page gives
  // in attributes (a screen reader's labels, a field's hint, a picture's
  // text) and in its title.
  // Text marked as in another language (a document in the charity's
  // language quoted on the page) is left out.
  const pageLang = document.documentElement.lang;
  let body = document.body.innerText;
  for (const el of document.body.querySelectorAll('[lang]')) {
    if (el.lang !== pageLang && el.innerText) body = body.split(el.innerText).join('\n');
  }
  const words = [document.title, body];
  for (const el of document.querySelectorAll('[title], [aria-label], [alt], [placeholder], input[type="submit"], input[type="button"], option, [aria-description]')) {
    for (const a of ['title', 'aria-label', 'alt', 'placeholder', 'aria-description']) {
      if (el.hasAttribute(a)) words.push(el.getAttribute(a));
    }
    if (el.tagName === 'OPTION') words.push(el.textContent);
    if (el.tagName === 'INPUT') words.push(el.value);
  }

  // What sticks out sideways: the innermost elements past the right edge.
  const wide = [];
  const edge = document.documentElement.clientWidth + 1;
  for (const el of document.body.querySelectorAll('*')) {
    if (wide.length >= 5) break;
    const r = el.getBoundingClientRect();
    if (r.right > edge && r.width > 0 && ![...el.children].some((c) => c.getBoundingClientRect().right > edge)) {
      wide.push(`${describe(el)} (right edge at ${round(r.right)} px)`);
    }
  }

  const links = [];
  for (const a of document.querySelectorAll('a[href]')) {
    const u = new URL(a.href, location.href);
    if (u.origin === location.origin && !a.hasAttribute('download')) links.push(u.pathname + u.search);
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    overlaps,
    wide,
    text: words.join('\n'),
    links,
  };
})()

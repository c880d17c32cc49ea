// bodymap's interactive figure (Streamlit custom component v2, no iframe).
//
// Shows the library's SVG, hides and shows its layer groups at once in the browser, opens a
// card for a clicked, tapped or Enter-ed marker, and links markers with the table rows.
// Safety rule: a data string never becomes markup here. Cards, chips and rows are built with
// createElement + textContent; only the library's SVG (already escaped by svgwrite) is parsed.

const DRAWER = { seen: undefined };
const UIS = new WeakMap(); // parentElement -> the mounted UI, so reruns update instead of rebuilding

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// The SVG contract: every selector this component uses on bodymap's exported SVG, in one place.
// They select by the attributes the library writes (data-layer, data-therapy, data-code), never by
// id substrings or class prefixes; tests/test_figure_contract.py extracts each one, fills its
// UPPERCASE placeholder and checks that it matches an exported SVG.
const SVG = {
  drawing: "svg.bodymap",
  marker: "g.marker[data-code]",
  title: "title",
  layer: "g.layer[data-layer]",
  legendEntry: "g.legend-entry[data-layer]",
  caution: 'g.layer[data-layer="pregnancy-cautions"]',
  therapyLabel: 'g.label[data-therapy="THERAPY"]',
  codeLabel: 'g.label[data-code="CODE"]',
  codeMarker: 'g.marker[data-code="CODE"]',
  zone: '[id="ZONE"]',
  legend: "g.legend",
  legendItem: "g.legend-entry",
  notes: "g.notes",
  panel: "g.panel[id]",
  label: "g.label[data-code]",
  text: "text",
  leader: "path",
};
const ZOOMS = new WeakMap(); // drawing -> its Zoom (zoom.js)
const coarse = () => window.matchMedia("(pointer: coarse)").matches;

// A contract selector with its placeholder filled, escaped for CSS.
function fill(selector, placeholder, value) {
  return selector.replace(placeholder, CSS.escape(value));
}

function codeSelector(code) {
  return fill(SVG.codeMarker, "CODE", code);
}

class Figure {
  constructor(root) {
    this.root = root;
    this.chips = root.querySelector(".bm-chips");
    this.figs = root.querySelector(".bm-figs");
    this.card = root.querySelector(".bm-card");
    this.tableWrap = root.querySelector(".bm-table");
    this.layers = null; // the visible layers; the browser's copy is the one on screen
    this.selected = null;
    this.seen = { layers: -1, selected: -1, figures: "", plan: -1 };
    this.plan = null; // today's plan: Map code -> side ("both", "left", "right"), or null (no plan yet)
    this.planOnly = false;
    this.data = {};
    this.listen();
  }

  send(name, value) {
    if (name === "selected") this.stateSelected = value;
    try {
      this.api.setStateValue(name, value);
    } catch (err) {
      console.warn("bodymap: could not send", name, err);
    }
  }

  update(data) {
    this.data = data || {};
    const d = this.data;
    if (d.figures_key !== this.seen.figures) {
      this.seen.figures = d.figures_key;
      this.drawFigures(d.figures || []);
      this.drawTable(d.columns || [], d.rows || []);
    }
    // Python changes layers or the selection only on purpose (a link, a search result, a
    // complaint switch) and then bumps the revision; anything else is an echo of our own send.
    if (this.layers === null || d.layers_rev !== this.seen.layers) {
      this.seen.layers = d.layers_rev;
      this.layers = new Set(d.layers || []);
    }
    if (d.plan_rev !== this.seen.plan) {
      this.seen.plan = d.plan_rev;
      this.plan = Array.isArray(d.plan) ? new Map(d.plan) : null;
      this.planOnly = !!d.plan_only;
      if (d.figures_key === this.seen.figures) this.drawTable(d.columns || [], d.rows || []);
    }
    if (d.rows && d.rows.length) {
      this.syncLink();
      setTimeout(() => this.syncLink(), 400); // after the page has applied an older link, if it does
    }
    this.root.querySelector(".bm-main").classList.toggle("bm-stack", !!d.stack);
    this.closeDrawerAfterChoice(d.drawer_rev);
    this.drawChips(d.chips || []);
    this.applyLayers();
    if (d.selected_rev !== this.seen.selected) {
      const first = this.seen.selected === -1;
      this.seen.selected = d.selected_rev;
      this.select(d.selected || null, false);
      if (first) this.stateSelected = this.selected; // the component's state starts as the link's point
      // A selection made in Python (a search result, a complaint switch) becomes the component's
      // state too, so a later click on the previously selected point still reaches Python.
      else if (this.selected !== this.stateSelected) this.send("selected", this.selected);
    } else {
      this.select(this.selected, false);
    }
  }

  // A search result chosen in the sidebar: on a phone the sidebar is a drawer over the figure, so
  // close it (with Streamlit's own button) to show the point. Not on the first draw, nor on a desktop.
  closeDrawerAfterChoice(rev) {
    const seen = DRAWER.seen; // page-wide: a complaint switch may mount a new figure
    DRAWER.seen = rev;
    if (seen === undefined || rev === seen || !window.matchMedia("(max-width: 640px)").matches) return;
    const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (close) close.click();
  }

  drawFigures(figures) {
    this.figs.replaceChildren();
    for (const fig of figures) {
      const box = el("figure", "bm-fig");
      if (fig.caption) box.appendChild(el("figcaption", "bm-figcap", fig.caption));
      if (this.data.zoom) box.appendChild(this.zoomBar());
      // The page laid out for this width, and (when given) the same page laid out for a phone:
      // the stylesheet shows the one that fits, so text keeps its size instead of shrinking.
      for (const [text, cls] of [[fig.svg, "bm-svg bm-wide"], [fig.narrow, "bm-svg bm-narrow"]]) {
        if (cls.includes("narrow") && !fig.narrow) continue;
        const holder = el("div", fig.narrow ? cls : "bm-svg");
        if (this.data.zoom) {
          // The keys + - arrows 0 zoom and pan the drawing once it has the focus.
          holder.tabIndex = 0;
          holder.setAttribute("role", "group");
          holder.setAttribute("aria-label", "Atlas drawing: + and - zoom, the arrow keys pan, 0 shows it whole");
        }
        // The SVG string comes from bodymap's renderer, which escapes every text it writes.
        const doc = new DOMParser().parseFromString(text || "", "image/svg+xml");
        const svg = doc.documentElement;
        if (svg && svg.localName === "svg") {
          holder.appendChild(document.importNode(svg, true));
        } else {
          holder.appendChild(el("p", "bm-error", "The figure could not be shown."));
        }
        // Zoomed in (a pinch, a double tap), a button brings the whole drawing back.
        const whole = el("button", "bm-unzoom", "Show all");
        whole.type = "button";
        whole.dataset.zoom = "reset";
        whole.setAttribute("aria-label", "Show the whole drawing");
        holder.appendChild(whole);
        box.appendChild(holder);
      }
      this.figs.appendChild(box);
    }
    this.prepareMarkers();
    this.legendKeys = new WeakMap();
    requestAnimationFrame(() => this.refresh());
    if (!this.resizes) {
      // A turned phone or a wider window can show the other drawing: set it up once it has a size.
      this.resizes = new ResizeObserver(() => this.refresh());
      this.resizes.observe(this.figs);
    }
  }

  // The drawings on screen: legend without holes, zoom, and targets a finger can hit.
  refresh() {
    for (const svg of this.figs.querySelectorAll(".bm-svg svg")) {
      if (svg.getBoundingClientRect().width === 0) continue;
      this.compact(svg);
      if (!ZOOMS.has(svg)) {
        const zoom = new Zoom(svg, {
          mouse: !!this.data.zoom,
          onChange: (z) => {
            svg.parentElement.classList.toggle("bm-zoomed-in", z.zoomed);
            this.retarget();
          },
        });
        ZOOMS.set(svg, zoom);
        if (this.data.zoom) this.syncZoomBar(svg);
      }
      fingerTargets(svg, coarse());
    }
  }

  retarget() {
    this.closeChooser(); // it points at marks that have just moved (and a double tap's first tap may have opened it)
    // Once the drawing has stopped moving: a pinch or a drag changes it every frame.
    clearTimeout(this.retargeting);
    this.retargeting = setTimeout(() => {
      for (const svg of this.figs.querySelectorAll(".bm-svg svg")) fingerTargets(svg, coarse());
      for (const svg of this.figs.querySelectorAll(".bm-svg svg")) if (this.data.zoom) this.syncZoomBar(svg);
    }, 120);
  }

  // Close the legend's holes when the shown layers change (the zoom starts again from the new page).
  compact(svg) {
    const key = [...svg.querySelectorAll(SVG.legendItem)].map((e) => getComputedStyle(e).display).join();
    if (this.legendKeys.get(svg) === key) return;
    this.legendKeys.set(svg, key);
    const zoom = ZOOMS.get(svg);
    if (zoom) zoom.reset();
    compactLegend(svg);
    if (zoom) zoom.rehome();
  }

  addHitAreas() {
    for (const svg of this.figs.querySelectorAll(".bm-svg svg")) fingerTargets(svg, coarse());
  }

  zoomBar() {
    const bar = el("div", "bm-zoombar");
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Zoom and pan the atlas");
    const label = el("label", "bm-region-label", "Show ");
    const pick = el("select", "bm-region");
    pick.appendChild(el("option", null, "The whole atlas")).value = "";
    label.appendChild(pick);
    bar.appendChild(label);
    for (const [act, text, name] of [["out", "−", "Zoom out"], ["in", "+", "Zoom in"], ["reset", "Whole", "Show the whole atlas"]]) {
      const b = el("button", "bm-zoom", text);
      b.type = "button";
      b.dataset.zoom = act;
      b.setAttribute("aria-label", name);
      b.title = name;
      bar.appendChild(b);
    }
    bar.appendChild(el("span", "bm-zoomhint", "Pinch or Ctrl + wheel to zoom, drag to pan; keys: + − arrows 0."));
    return bar;
  }

  // Each panel of the drawing with the labels whose leaders start nearest it: a region to show.
  regions(svg) {
    const zoom = ZOOMS.get(svg);
    const units = (r) => [...zoom.units(r.left, r.top), ...zoom.units(r.right, r.bottom)];
    const found = [...svg.querySelectorAll(SVG.panel)].map((g) => {
      const cap = g.querySelector(SVG.text); // a panel's first text is its caption
      return { name: cap ? cap.textContent : g.id, box: units(g.getBoundingClientRect()) };
    }).filter((p) => p.box[2] > p.box[0]);
    const away = (x, y, b) => Math.hypot(Math.max(b[0] - x, 0, x - b[2]), Math.max(b[1] - y, 0, y - b[3]));
    for (const label of svg.querySelectorAll(SVG.label)) {
      const path = label.querySelector(SVG.leader);
      const text = label.querySelector(SVG.text);
      if (!path || !text || !found.length || text.getBoundingClientRect().width === 0) continue;
      const p = path.getPointAtLength(0).matrixTransform(path.getScreenCTM());
      const [x, y] = zoom.units(p.x, p.y);
      const near = found.reduce((a, b) => (away(x, y, b.box) < away(x, y, a.box) ? b : a));
      const t = units(text.getBoundingClientRect());
      near.box = [Math.min(near.box[0], t[0]), Math.min(near.box[1], t[1]), Math.max(near.box[2], t[2]), Math.max(near.box[3], t[3])];
    }
    return found.map((r) => ({ name: r.name, box: [r.box[0] - 8, r.box[1] - 8, r.box[2] - r.box[0] + 16, r.box[3] - r.box[1] + 16] }));
  }

  syncZoomBar(svg) {
    const bar = svg.closest(".bm-fig").querySelector(".bm-zoombar");
    const pick = bar && bar.querySelector(".bm-region");
    if (!pick || pick.options.length > 1) return;
    this.regionBoxes = this.regions(svg);
    this.regionBoxes.forEach((r, i) => {
      pick.appendChild(el("option", null, r.name)).value = String(i);
    });
  }

  zoomIn(fig) {
    const svg = [...fig.querySelectorAll(".bm-svg svg")].find((s) => s.getBoundingClientRect().width > 0);
    return svg ? ZOOMS.get(svg) : null;
  }

  onZoomButton(button) {
    const holder = button.closest(".bm-svg");
    const zoom = holder ? ZOOMS.get(holder.querySelector(SVG.drawing)) : this.zoomIn(button.closest(".bm-fig"));
    if (!zoom) return;
    if (button.dataset.zoom === "in") zoom.zoomBy(1.5);
    else if (button.dataset.zoom === "out") zoom.zoomBy(1 / 1.5);
    else zoom.reset();
  }

  onRegion(pick) {
    const zoom = this.zoomIn(pick.closest(".bm-fig"));
    const region = (this.regionBoxes || [])[Number(pick.value)];
    if (!zoom) return;
    if (pick.value === "" || !region) zoom.reset();
    else zoom.show(region.box, 1.05); // labels are at least 10 units: at least 10 px on screen
  }

  // Marks closer than a finger share one target: a tap on it lists their points, one button each.
  chooser(codes, hit) {
    this.closeChooser();
    const cards = this.data.cards || {};
    const box = el("div", "bm-pick");
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "Points here");
    box.appendChild(el("p", "bm-pick-title", "Points here:"));
    for (const code of codes) {
      const card = cards[code];
      const text = card ? (card.kind === "trigger-point" ? `${card.heading}: ${card.subheading}` : card.heading) : code;
      const b = el("button", "bm-pick-item", text);
      b.type = "button";
      b.dataset.code = code;
      box.appendChild(b);
    }
    const main = this.root.querySelector(".bm-main");
    main.appendChild(box);
    const m = main.getBoundingClientRect();
    const r = hit.getBoundingClientRect();
    box.style.top = `${r.bottom - m.top + 6}px`;
    box.style.left = `${Math.max(0, Math.min(r.left - m.left, m.width - box.offsetWidth))}px`;
    this.chooserFrom = hit.closest(SVG.marker);
    box.querySelector("button").focus({ preventScroll: true });
  }

  closeChooser() {
    for (const n of this.root.querySelectorAll(".bm-pick")) n.remove();
  }

  prepareMarkers() {
    for (const svg of this.figs.querySelectorAll(SVG.drawing)) {
      // The exported SVG is a static image; on screen it is a figure holding focusable points.
      svg.setAttribute("role", "figure");
    }
    // Tab stops are counted per drawing: the phone's drawing is hidden on a desktop and the other way round.
    for (const holder of this.figs.querySelectorAll(".bm-svg")) this.prepareIn(holder);
  }

  prepareIn(holder) {
    const first = new Set();
    for (const g of holder.querySelectorAll(SVG.marker)) {
      const code = g.getAttribute("data-code") || "";
      const title = g.querySelector(SVG.title);
      g.setAttribute("role", "button");
      g.setAttribute("aria-label", title ? title.textContent : code);
      const caution = g.closest(SVG.caution);
      // One tab stop per point: the other instances (other side, other panel) are reachable
      // by pointer, and all of them light up together.
      const tab = !caution && !first.has(code);
      if (tab) first.add(code);
      g.setAttribute("tabindex", tab ? "0" : "-1");
    }
  }

  drawChips(chips) {
    const key = JSON.stringify(chips);
    if (this.chipKey !== key) {
      this.chipKey = key;
      this.chips.replaceChildren();
      for (const [id, label, help] of chips) {
        const b = el("button", "bm-chip", label);
        b.type = "button";
        b.dataset.layer = id;
        if (help) b.title = help;
        this.chips.appendChild(b);
      }
    }
    for (const b of this.chips.querySelectorAll("button")) {
      const on = b.dataset.layer === "plan-only" ? this.planOnly : this.layers.has(b.dataset.layer);
      b.setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  applyLayers() {
    const off = (name) => !this.layers.has(name);
    for (const g of this.figs.querySelectorAll(SVG.layer)) {
      const name = g.getAttribute("data-layer");
      if (name !== "highlight") g.classList.toggle("bm-off", off(name));
    }
    // Legend entries that name their layer (data-layer) follow it; the others always show.
    for (const g of this.figs.querySelectorAll(SVG.legendEntry)) {
      g.classList.toggle("bm-off", off(g.getAttribute("data-layer")));
    }
    // A therapy's labels go with its markers, whatever the labels layer says.
    for (const therapy of ["dry-needling", "acupuncture"]) {
      for (const g of this.figs.querySelectorAll(fill(SVG.therapyLabel, "THERAPY", therapy))) {
        g.classList.toggle("bm-off", off(therapy));
      }
    }
    if (this.legendKeys) this.refresh(); // the legend closes its holes; hidden marks are no targets
  }

  toggleLayer(name) {
    if (name === "plan-only") {
      // Python redraws the figure with the plan's points alone (as the handout prints them).
      this.planOnly = !this.planOnly;
      this.drawChips(this.data.chips || []);
      return this.send("plan_only", this.planOnly);
    }
    if (this.layers.has(name)) this.layers.delete(name);
    else this.layers.add(name);
    this.drawChips(this.data.chips || []);
    this.applyLayers();
    this.send("layers", [...this.layers]);
  }

  related(code) {
    // Every instance of the point (both sides, every panel, the close-up) and its label.
    const card = (this.data.cards || {})[code];
    const label = card && card.label ? `, ${fill(SVG.codeLabel, "CODE", card.label)}` : "";
    return this.figs.querySelectorAll(codeSelector(code) + label);
  }

  hot(code, on) {
    if (!code) return;
    for (const g of this.related(code)) g.classList.toggle("bm-hot", on);
    for (const tr of this.tableWrap.querySelectorAll(`tr[data-code="${CSS.escape(code)}"]`)) {
      tr.classList.toggle("bm-hot", on);
    }
  }

  select(code, send) {
    const cards = this.data.cards || {};
    if (code && !cards[code]) code = null;
    for (const n of this.root.querySelectorAll(".bm-sel")) n.classList.remove("bm-sel");
    for (const n of this.root.querySelectorAll(".bm-zone-sel")) n.classList.remove("bm-zone-sel");
    const changed = code !== this.selected;
    this.selected = code;
    if (code) {
      for (const g of this.related(code)) g.classList.add("bm-sel");
      for (const tr of this.tableWrap.querySelectorAll(`tr[data-code="${CSS.escape(code)}"]`)) tr.classList.add("bm-sel");
      for (const id of cards[code].zones || []) {
        const z = this.figs.querySelector(fill(SVG.zone, "ZONE", id));
        if (z) z.classList.add("bm-zone-sel");
      }
    }
    this.drawCard(code ? cards[code] : null);
    this.addHitAreas();
    this.placeCard(code);
    if (send && changed) this.send("selected", code);
    if (code && (send || changed)) this.keepInView(code); // a tap, or a point opened from a link
  }

  keepInView(code) {
    // A phone's card is a sheet pinned to the bottom of the screen: scroll the point above it.
    // Side by side (the card under both figures): bring the card into view, as before.
    const cs = getComputedStyle(this.card);
    if (cs.position !== "sticky") {
      const below = this.card.getBoundingClientRect().top >= this.figs.getBoundingClientRect().bottom - 1;
      if (below && cs.position === "static") this.card.scrollIntoView({ behavior: "smooth", block: "start" });
      return;
    }
    const marks = [...this.figs.querySelectorAll(codeSelector(code))].map((g) => g.getBoundingClientRect()).filter((r) => r.width > 0);
    if (!marks.length) return;
    const sheet = this.card.getBoundingClientRect();
    const top = Math.min(sheet.top, window.innerHeight - sheet.height);
    const near = marks.reduce((a, b) => (Math.abs(b.top - top / 2) < Math.abs(a.top - top / 2) ? b : a));
    if (near.top >= 64 && near.bottom <= top - 8) return; // already in sight above the sheet
    // The nearest scrolling box, out through the component's shadow root (Streamlit scrolls a section).
    const up = (n) => n.parentElement || (n.getRootNode() instanceof ShadowRoot ? n.getRootNode().host : null);
    let box = up(this.root);
    while (box && !(box.scrollHeight > box.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(box).overflowY))) {
      box = up(box);
    }
    (box || document.scrollingElement).scrollBy({ top: near.top - Math.max(64, top * 0.4), behavior: "instant" });
  }

  // Once a card is open its controls come next for the keyboard, not the remaining markers: focus
  // moves to its close button (without scrolling); Esc or × gives it back to the opener.
  focusCard() {
    const close = this.card.querySelector("button.bm-close");
    if (close && this.card.classList.contains("bm-open")) close.focus({ preventScroll: true });
  }

  placeCard(code) {
    // On a wide screen the card floats over the figure, never over a mark of the selected point:
    // the first spot, from the top of what is on screen down, on the side with fewer of its marks.
    // Where none is clear the card goes under the figure. A phone's sheet and print ignore this.
    const card = this.card;
    const main = this.root.querySelector(".bm-main");
    card.classList.remove("bm-card-left", "bm-card-below");
    card.style.top = "";
    card.style.maxHeight = "";
    if (!code || getComputedStyle(card).position !== "absolute") return;
    const box = main.getBoundingClientRect();
    // No taller than the figure or the screen (it scrolls inside), so a clear spot over the figure
    // exists whenever one side is free of the point's marks; a long card no longer drops below.
    if (box.height >= 240) card.style.maxHeight = `${Math.min(box.height, window.innerHeight - 16)}px`;
    const pad = 6;
    const marks = [...this.figs.querySelectorAll(codeSelector(code))].map((g) => g.getBoundingClientRect()).filter((r) => r.width > 0);
    const w = card.offsetWidth;
    const h = card.offsetHeight;
    const onRight = marks.filter((r) => r.left + r.width / 2 > box.left + box.width / 2).length;
    const sides = onRight * 2 > marks.length ? [["left", 0], ["right", box.width - w]] : [["right", box.width - w], ["left", 0]];
    const first = Math.max(0, Math.min(-box.top + 8, box.height - h));
    const tops = [];
    for (let t = first; t + h <= box.height + 1; t += 16) tops.push(t);
    for (let t = first - 16; t >= 0; t -= 16) tops.push(t);
    const clear = (x, y) => marks.every((r) => r.right + pad <= box.left + x || r.left - pad >= box.left + x + w
      || r.bottom + pad <= box.top + y || r.top - pad >= box.top + y + h);
    for (const y of tops) {
      for (const [side, x] of sides) {
        if (clear(x, y)) {
          card.classList.toggle("bm-card-left", side === "left");
          card.style.top = `${y}px`;
          return;
        }
      }
    }
    card.classList.add("bm-card-below");
  }


  inPlan(code) {
    return !!this.plan && this.plan.has(code);
  }

  planSwitch(code) {
    // A switch (role=switch) that puts the point in today's plan or takes it out.
    const b = el("button", "bm-plan-switch");
    b.type = "button";
    b.dataset.plan = code;
    b.setAttribute("role", "switch");
    b.setAttribute("aria-checked", this.inPlan(code) ? "true" : "false");
    b.appendChild(el("span", "bm-plan-knob"));
    b.appendChild(el("span", "bm-plan-text", "In today's plan"));
    return b;
  }

  togglePlan(code) {
    const plan = new Map(this.plan || []);
    if (plan.has(code)) plan.delete(code);
    else plan.set(code, "both");
    this.plan = plan;
    for (const b of this.root.querySelectorAll(`button.bm-plan-switch[data-plan="${CSS.escape(code)}"]`)) {
      b.setAttribute("aria-checked", plan.has(code) ? "true" : "false");
    }
    this.send("plan", this.planTokens());
    this.syncLink();
  }

  planTokens() {
    return [...(this.plan || [])].map(([c, side]) => (side === "both" ? c : `${c}:${side[0].toUpperCase()}`));
  }

  syncLink() {
    // The link carries the plan as the browser shows it. Python writes the same ?plan=, but the page
    // applies a rerun's link only at the next rerun (measured in Chromium with Streamlit 1.67), so a
    // switch's change would otherwise reach the link one click late.
    const url = new URL(window.location.href);
    const want = this.plan ? this.planTokens().join(",") : null;
    if (url.searchParams.get("plan") === want) return;
    if (want === null) url.searchParams.delete("plan");
    else url.searchParams.set("plan", want);
    window.history.replaceState(window.history.state, "", url);
  }

  drawCard(card) {
    const c = this.card;
    // The same card again (a rerun after our own send): keep it, and with it the keyboard focus in it.
    const key = card ? JSON.stringify(card) : "";
    if (key && key === this.cardKey && c.classList.contains("bm-open")) return;
    this.cardKey = key;
    c.replaceChildren();
    if (!card) {
      c.classList.remove("bm-open");
      c.appendChild(el("p", "bm-hint", this.data.hint || "Click or tap a point to see why it is there."));
      return;
    }
    c.classList.add("bm-open");
    const head = el("div", "bm-card-head");
    // h2: the card is a section under the page's h1 (axe: heading levels go up one at a time).
    head.appendChild(el("h2", "bm-card-title", card.heading));
    const close = el("button", "bm-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close the card");
    head.appendChild(close);
    c.appendChild(head);
    if (card.subheading) c.appendChild(el("p", "bm-card-sub", card.subheading));
    c.appendChild(this.planSwitch(card.code));
    const dl = el("dl", "bm-fields");
    for (const [label, value] of card.fields || []) {
      dl.appendChild(el("dt", null, label));
      dl.appendChild(el("dd", null, value));
    }
    c.appendChild(dl);
    if ((card.links || []).length) {
      c.appendChild(el("p", "bm-card-also", "Also used for:"));
      const ul = el("ul", "bm-links");
      for (const [id, name] of card.links) {
        const li = el("li");
        const b = el("button", "bm-link", name);
        b.type = "button";
        b.dataset.complaint = id;
        li.appendChild(b);
        ul.appendChild(li);
      }
      c.appendChild(ul);
    }
    c.setAttribute("aria-label", `Details: ${card.heading}`);
  }

  drawTable(columns, rows) {
    this.tableWrap.replaceChildren();
    if (!rows.length) return;
    const table = el("table", "bm-rows");
    const thead = el("thead");
    const hr = el("tr");
    hr.appendChild(el("th", null, "Today"));
    for (const col of columns) hr.appendChild(el("th", null, col));
    thead.appendChild(hr);
    table.appendChild(thead);
    const tbody = el("tbody");
    for (const row of rows) {
      const tr = el("tr");
      tr.dataset.code = row.code;
      tr.tabIndex = 0;
      const sw = el("td", "bm-plan-cell");
      sw.appendChild(this.planSwitch(row.code));
      tr.appendChild(sw);
      for (const cell of row.cells) tr.appendChild(el("td", null, cell));
      tbody.appendChild(tr);
    }
    table.appendChild(tbody);
    this.tableWrap.appendChild(table);
  }

  listen() {
    const marker = (ev) => ev.target.closest && ev.target.closest(SVG.marker);
    const row = (ev) => ev.target.closest && ev.target.closest("tr[data-code]");
    this.root.addEventListener("click", (ev) => {
      const chip = ev.target.closest("button.bm-chip");
      if (chip) return this.toggleLayer(chip.dataset.layer);
      const sw = ev.target.closest("button.bm-plan-switch");
      if (sw) return this.togglePlan(sw.dataset.plan);
      if (ev.target.closest("button.bm-close")) {
        this.select(null, true);
        return this.opener?.focus();
      }
      const link = ev.target.closest("button.bm-link");
      if (link) {
        this.api.setTriggerValue("goto", { complaint: link.dataset.complaint, point: this.selected });
        return;
      }
      const zoomButton = ev.target.closest("button[data-zoom]");
      if (zoomButton) return this.onZoomButton(zoomButton);
      const picked = ev.target.closest("button.bm-pick-item");
      this.closeChooser();
      if (picked) {
        this.opener = this.chooserFrom || this.opener;
        this.select(picked.dataset.code, true);
        return this.focusCard();
      }
      const group = ev.target.closest(".bm-hit-group");
      if (group) {
        const codes = JSON.parse(group.dataset.codes || "[]");
        if (codes.length > 1) return this.chooser(codes, group);
        this.opener = group.closest(SVG.marker);
        this.select(codes[0], true);
        return this.focusCard();
      }
      const m = marker(ev) || row(ev);
      if (m) {
        this.opener = m;
        this.select(m.getAttribute("data-code"), true);
        this.focusCard();
      }
    });
    this.root.addEventListener("change", (ev) => {
      if (ev.target.classList && ev.target.classList.contains("bm-region")) this.onRegion(ev.target);
    });
    this.root.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape" && this.root.querySelector(".bm-pick")) {
        this.closeChooser();
        return this.chooserFrom?.focus();
      }
      const holder = this.data.zoom && ev.target.closest && ev.target.closest(".bm-svg");
      if (holder && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
        const zoom = ZOOMS.get(holder.querySelector(SVG.drawing));
        if (zoom && zoom.key(ev)) return;
      }
      if (ev.key === "Escape" && this.selected) {
        this.select(null, true);
        this.opener?.focus(); // back to the marker or row the card was opened from
        return;
      }
      if (ev.target.closest && ev.target.closest("button")) return; // a button's own Enter and Space
      const m = marker(ev) || row(ev);
      if (m && (ev.key === "Enter" || ev.key === " ")) {
        ev.preventDefault();
        this.opener = m;
        this.select(m.getAttribute("data-code"), true);
        this.focusCard();
      }
    });
    const hover = (on) => (ev) => {
      const m = marker(ev) || row(ev);
      if (m) this.hot(m.getAttribute("data-code"), on);
    };
    this.root.addEventListener("mouseover", hover(true));
    this.root.addEventListener("mouseout", hover(false));
    this.root.addEventListener("focusin", hover(true));
    this.root.addEventListener("focusin", (ev) => {
      const m = marker(ev);
      const zoom = m && ZOOMS.get(m.closest(SVG.drawing));
      if (zoom) zoom.reveal(m.getBoundingClientRect()); // a zoomed drawing follows the keyboard
    });
    this.root.addEventListener("focusout", hover(false));
  }
}

function decode(data) {
  // The app sends one JSON text as bytes (cheaper for Python than a JSON payload).
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return JSON.parse(new TextDecoder().decode(data));
  return data || {};
}

export default function (component) {
  const { data, parentElement, setStateValue, setTriggerValue } = component;
  let ui = UIS.get(parentElement);
  const root = parentElement.querySelector(".bm");
  if (!ui || ui.root !== root) {
    ui = new Figure(root);
    UIS.set(parentElement, ui);
  }
  ui.api = { setStateValue, setTriggerValue };
  ui.update(decode(data));
}

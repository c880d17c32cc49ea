// Finger-sized targets and a legend without holes (issue 20, item 3). Loaded before figure.js in
// one module (bodymap_app/figure.py joins the files); it uses figure.js's SVG contract table.

const SVG_NS = "http://www.w3.org/2000/svg";
const FINGER = 24; // CSS px: WCAG 2.2, 2.5.8 (target size, minimum)

function clientBox(node) {
  const b = node.getBoundingClientRect();
  return [b.left, b.top, b.right, b.bottom];
}

function overlaps(a, b) {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

function discMeetsBox(cx, cy, r, b) {
  const nx = Math.min(Math.max(cx, b[0]), b[2]);
  const ny = Math.min(Math.max(cy, b[1]), b[3]);
  return Math.hypot(cx - nx, cy - ny) < r;
}

// One target for a group of marks: a 24 px disc around a lone mark; for marks closer than 24 px
// to each other, one rectangle over all of them, at least 24 x 24 (a tap on it asks which point).
function targetOf(group) {
  if (group.length === 1) {
    const m = group[0];
    return { marks: group, disc: true, cx: m.cx, cy: m.cy, box: [m.cx - FINGER / 2, m.cy - FINGER / 2, m.cx + FINGER / 2, m.cy + FINGER / 2] };
  }
  const pad = 3;
  let [l, t, r, b] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const m of group) {
    [l, t, r, b] = [Math.min(l, m.box[0] - pad), Math.min(t, m.box[1] - pad), Math.max(r, m.box[2] + pad), Math.max(b, m.box[3] + pad)];
  }
  const grow = (lo, hi) => (hi - lo >= FINGER ? [lo, hi] : [(lo + hi) / 2 - FINGER / 2, (lo + hi) / 2 + FINGER / 2]);
  [l, r] = grow(l, r);
  [t, b] = grow(t, b);
  return { marks: group, disc: false, box: [l, t, r, b] };
}

function targetsClash(a, b) {
  if (a.disc && b.disc) return Math.hypot(a.cx - b.cx, a.cy - b.cy) < FINGER;
  if (a.disc) return discMeetsBox(a.cx, a.cy, FINGER / 2, b.box);
  if (b.disc) return discMeetsBox(b.cx, b.cy, FINGER / 2, a.box);
  return overlaps(a.box, b.box);
}

// Groups of marks whose targets would clash, merged pass by pass until no two targets touch
// (each pass joins every clashing pair at once: a few passes even for the atlas's 440 marks).
function fingerGroups(marks) {
  let groups = marks.map((m) => [m]);
  for (;;) {
    const targets = groups.map(targetOf);
    const parent = targets.map((_, i) => i);
    const find = (i) => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i]];
      return i;
    };
    let merged = false;
    for (let i = 0; i < targets.length; i++) {
      for (let j = i + 1; j < targets.length; j++) {
        if (find(i) !== find(j) && targetsClash(targets[i], targets[j])) {
          parent[find(j)] = find(i);
          merged = true;
        }
      }
    }
    if (!merged) return targets;
    const joined = new Map();
    groups.forEach((g, i) => joined.set(find(i), (joined.get(find(i)) || []).concat(g)));
    groups = [...joined.values()];
  }
}

// A shape drawn in a mark's own coordinates from a box on the screen.
function hitShape(g, target) {
  const m = g.getScreenCTM();
  if (!m) return null;
  const inv = m.inverse();
  const at = (x, y) => new DOMPoint(x, y).matrixTransform(inv);
  const k = Math.hypot(inv.a, inv.b); // drawing units per CSS px
  if (target.disc) {
    const c = at(target.cx, target.cy);
    const disc = document.createElementNS(SVG_NS, "circle");
    disc.setAttribute("cx", c.x);
    disc.setAttribute("cy", c.y);
    disc.setAttribute("r", (FINGER / 2) * k);
    return disc;
  }
  const p = at(target.box[0], target.box[1]);
  const rect = document.createElementNS(SVG_NS, "rect");
  rect.setAttribute("x", p.x);
  rect.setAttribute("y", p.y);
  rect.setAttribute("width", (target.box[2] - target.box[0]) * k);
  rect.setAttribute("height", (target.box[3] - target.box[1]) * k);
  return rect;
}

// Every visible mark of the drawing on screen becomes part of a target a finger can hit.
// coarse (a touch screen): lone marks get a 24 px disc; marks nearer than 24 px to another share
// one rectangle, drawn over them, that asks which point (or opens the card when all are one point).
// A mouse keeps each mark its own target: discs of up to 12 px, never past halfway to a neighbour.
function fingerTargets(svg, coarse) {
  for (const old of svg.querySelectorAll(".bm-hit")) old.remove();
  if (svg.getBoundingClientRect().width === 0) return;
  const marks = [];
  for (const g of svg.querySelectorAll(SVG.marker)) {
    const box = clientBox(g);
    if (box[2] - box[0] > 0) marks.push({ g, box, cx: (box[0] + box[2]) / 2, cy: (box[1] + box[3]) / 2 });
  }
  if (!coarse) {
    for (const m of marks) {
      let near = Infinity;
      for (const o of marks) if (o !== m) near = Math.min(near, Math.hypot(o.cx - m.cx, o.cy - m.cy));
      const disc = hitShape(m.g, { disc: true, cx: m.cx, cy: m.cy });
      if (!disc) continue;
      disc.setAttribute("r", Number(disc.getAttribute("r")) * Math.min(1, near / FINGER));
      disc.setAttribute("class", "bm-hit");
      m.g.insertBefore(disc, m.g.firstChild);
    }
    return;
  }
  const order = new Map(marks.map((m, i) => [m.g, i]));
  for (const target of fingerGroups(marks)) {
    // Drawn inside the group's last mark (in document order), so it lies over every mark of the group.
    const last = target.marks.reduce((a, b) => (order.get(b.g) > order.get(a.g) ? b : a));
    const shape = hitShape(last.g, target);
    if (!shape) continue;
    shape.setAttribute("class", target.marks.length > 1 ? "bm-hit bm-hit-group" : "bm-hit");
    const codes = [...new Set(target.marks.map((m) => m.g.getAttribute("data-code")))];
    shape.dataset.codes = JSON.stringify(codes);
    if (target.marks.length > 1) last.g.appendChild(shape);
    else last.g.insertBefore(shape, last.g.firstChild);
  }
}

// The legend lists every layer's entry (the figure carries every layer); the entries of hidden
// layers are hidden in the browser, which left holes. Flow the shown entries into the first
// places, in order, and move the notes under the legend up by the rows saved.
function compactLegend(svg) {
  const legend = svg.querySelector(SVG.legend);
  if (!legend) return 0;
  const entries = [...legend.querySelectorAll(SVG.legendItem)];
  for (const e of entries) e.removeAttribute("transform");
  const boxes = entries.map((e) => e.getBBox());
  if (!boxes.length) return 0;
  const ys = [...new Set(boxes.map((b) => Math.round(b.y + b.height / 2)))].sort((a, b) => a - b);
  const pitch = ys.length > 1 ? ys[1] - ys[0] : 0;
  const left = Math.min(...boxes.map((b) => b.x));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const gap = 14;
  let x = left;
  let y = ys[0];
  const shown = [];
  entries.forEach((e, i) => {
    if (getComputedStyle(e).display === "none") return;
    const b = boxes[i];
    if (x > left && x + b.width > right + 0.5) {
      x = left;
      y += pitch;
    }
    const cy = Math.round(b.y + b.height / 2);
    if (x !== b.x || y !== cy) e.setAttribute("transform", `translate(${x - b.x} ${y - cy})`);
    shown.push(b);
    x += b.width + gap;
  });
  const rows = shown.length ? Math.round((y - ys[0]) / (pitch || 1)) + 1 : 0;
  const saved = pitch * (ys.length - rows);
  const notes = svg.querySelector(SVG.notes);
  const legendTop = Math.min(...boxes.map((b) => b.y));
  if (notes) notes.removeAttribute("transform");
  if (notes && saved > 0 && notes.getBBox().y > legendTop) notes.setAttribute("transform", `translate(0 ${-saved})`);
  trimBottom(svg, legend, notes, legendTop, saved);
  return saved;
}

// The page ends under the notes: cut what the legend gave back, unless a panel reaches lower.
function trimBottom(svg, legend, notes, legendTop, saved) {
  if (!svg.dataset.bmH0) {
    svg.dataset.bmH0 = svg.viewBox.baseVal.height;
    svg.dataset.bmAttrH0 = parseFloat(svg.getAttribute("height")) || svg.viewBox.baseVal.height;
  }
  const h0 = Number(svg.dataset.bmH0);
  let cut = 0;
  if (saved > 0) {
    let lowest = 0;
    for (const child of svg.children) {
      if (child === legend || child === notes || !(child instanceof SVGGraphicsElement)) continue;
      const b = child.getBBox();
      if (b.height >= h0 - 1) continue; // the paper behind the whole page
      if (b.width > 0 && b.height > 0) lowest = Math.max(lowest, b.y + b.height);
    }
    if (lowest <= legendTop + 1) cut = saved;
  }
  const vb = svg.viewBox.baseVal;
  svg.setAttribute("viewBox", `${vb.x} ${vb.y} ${vb.width} ${h0 - cut}`);
  svg.setAttribute("height", `${(Number(svg.dataset.bmAttrH0) * (h0 - cut)) / h0}px`);
}

// Zoom and pan for one drawing (issue 20, items 3 and 7): the drawing's viewBox moves while its box
// on the page stays put. Pinch, double tap, Ctrl + wheel (a trackpad pinch sends that too), drag,
// and the keys + - arrows 0; the atlas adds buttons and a region picker (figure.js builds those).
// Loaded before figure.js in one module (bodymap_app/figure.py joins the files).

class Zoom {
  constructor(svg, { mouse = false, onChange = () => {} } = {}) {
    this.svg = svg;
    this.mouse = mouse; // drag and double click with a mouse too (the atlas), not only touch
    this.onChange = onChange;
    this.max = 10;
    this.pointers = new Map();
    this.lastTap = null;
    this.rehome();
    this.listen();
  }

  rehome() {
    // The whole drawing, as exported (or as figure.js trimmed it); zooming always starts from it.
    const b = this.svg.viewBox.baseVal;
    this.home = [b.x, b.y, b.width, b.height];
    this.vb = [...this.home];
    this.svg.classList.remove("bm-zoomed");
  }

  get zoomed() {
    return this.vb[2] < this.home[2] - 1e-6;
  }

  set(x, y, w) {
    const [hx, hy, hw, hh] = this.home;
    w = Math.min(hw, Math.max(hw / this.max, w));
    const h = (w * hh) / hw; // the drawing's own aspect, so the box on the page maps exactly
    x = Math.min(hx + hw - w, Math.max(hx, x));
    y = Math.min(hy + hh - h, Math.max(hy, y));
    const before = this.vb.join(" ");
    this.vb = [x, y, w, h];
    this.svg.setAttribute("viewBox", this.vb.join(" "));
    this.svg.classList.toggle("bm-zoomed", this.zoomed);
    if (this.vb.join(" ") !== before) this.onChange(this);
  }

  // A point in drawing units for a point on the screen.
  units(clientX, clientY) {
    const r = this.svg.getBoundingClientRect();
    const [x, y, w, h] = this.vb;
    return [x + ((clientX - r.left) * w) / r.width, y + ((clientY - r.top) * h) / r.height];
  }

  // Zoom by `factor` keeping the drawing point (ux, uy) where it is on the screen.
  zoomAt(factor, ux, uy) {
    const [x, y, w] = this.vb;
    const nw = Math.min(this.home[2], Math.max(this.home[2] / this.max, w / factor));
    const f = nw / w;
    this.set(ux - (ux - x) * f, uy - (uy - y) * f, nw);
  }

  zoomBy(factor) {
    const [x, y, w, h] = this.vb;
    this.zoomAt(factor, x + w / 2, y + h / 2);
  }

  // Pan by a fraction of what is shown (keys) or by screen pixels (drag, wheel).
  panPx(dx, dy) {
    const r = this.svg.getBoundingClientRect();
    const k = this.vb[2] / r.width;
    this.set(this.vb[0] + dx * k, this.vb[1] + dy * k, this.vb[2]);
  }

  reset() {
    this.set(this.home[0], this.home[1], this.home[2]);
  }

  // Pan just enough to bring a box on the screen (a mark reached with Tab) into the drawing's view.
  reveal(r) {
    const v = this.svg.getBoundingClientRect();
    const pad = 24;
    const dx = r.left < v.left ? r.left - v.left - pad : r.right > v.right ? r.right - v.right + pad : 0;
    const dy = r.top < v.top ? r.top - v.top - pad : r.bottom > v.bottom ? r.bottom - v.bottom + pad : 0;
    if (this.zoomed && (dx || dy)) this.panPx(dx, dy);
  }

  // Show a box of the drawing (a region of the atlas): all of it when it fits at `minPx` screen
  // pixels per unit or more, else its top at exactly minPx per unit (so a text of size 10 is 10 px).
  show(box, minPx) {
    const r = this.svg.getBoundingClientRect();
    const aspect = this.home[3] / this.home[2];
    const w = Math.min(Math.max(box[2], box[3] / aspect), r.width / minPx);
    const h = w * aspect;
    const y = h >= box[3] ? box[1] + box[3] / 2 - h / 2 : box[1];
    this.set(box[0] + box[2] / 2 - w / 2, y, w);
  }

  key(ev) {
    const step = 0.15 * this.svg.getBoundingClientRect().width;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (ev.key === "+" || ev.key === "=") this.zoomBy(1.5);
    else if (ev.key === "-" || ev.key === "_") this.zoomBy(1 / 1.5);
    else if (ev.key === "0") this.reset();
    else if (moves[ev.key] && this.zoomed) this.panPx(...moves[ev.key]);
    else return false;
    ev.preventDefault();
    return true;
  }

  listen() {
    const svg = this.svg;
    svg.addEventListener("pointerdown", (ev) => this.down(ev));
    svg.addEventListener("pointermove", (ev) => this.move(ev));
    for (const name of ["pointerup", "pointercancel", "pointerleave"]) svg.addEventListener(name, (ev) => this.up(ev));
    // A drag that panned is not a click on the mark it started on.
    svg.addEventListener("click", (ev) => {
      if (this.dragged) {
        ev.stopPropagation();
        ev.preventDefault();
        this.dragged = false;
      }
    }, true);
    if (this.mouse) {
      // The atlas only: a complaint's figure on a desktop has no zoom controls to come back from.
      svg.addEventListener("wheel", (ev) => this.wheel(ev), { passive: false });
      svg.addEventListener("dblclick", (ev) => {
        if (ev.target.closest && ev.target.closest(SVG.marker)) return;
        this.toggleAt(ev.clientX, ev.clientY);
      });
    }
  }

  toggleAt(clientX, clientY) {
    if (this.zoomed) this.reset();
    else this.zoomAt(2.5, ...this.units(clientX, clientY));
  }

  down(ev) {
    if (ev.pointerType === "mouse" && (!this.mouse || ev.button !== 0)) return;
    this.pointers.set(ev.pointerId, { x: ev.clientX, y: ev.clientY, x0: ev.clientX, y0: ev.clientY, t: ev.timeStamp });
    this.pinch = null;
    this.dragged = false;
  }

  move(ev) {
    const p = this.pointers.get(ev.pointerId);
    if (!p) return;
    const [a, b] = [...this.pointers.values()];
    if (this.pointers.size === 2) {
      // Pinch: zoom by the change in the fingers' distance, about their midpoint, and follow it.
      const before = Math.hypot(a.x - b.x, a.y - b.y);
      const mid0 = [(a.x + b.x) / 2, (a.y + b.y) / 2];
      p.x = ev.clientX;
      p.y = ev.clientY;
      const after = Math.hypot(a.x - b.x, a.y - b.y);
      const mid = [(a.x + b.x) / 2, (a.y + b.y) / 2];
      if (before > 0) this.zoomAt(after / before, ...this.units(...mid));
      this.panPx(mid0[0] - mid[0], mid0[1] - mid[1]);
      this.dragged = true;
      return;
    }
    const dx = ev.clientX - p.x;
    const dy = ev.clientY - p.y;
    p.x = ev.clientX;
    p.y = ev.clientY;
    const far = Math.hypot(ev.clientX - p.x0, ev.clientY - p.y0) > 6;
    if (this.pointers.size === 1 && this.zoomed && (far || this.dragged)) {
      if (!this.dragged) capture(this.svg, ev.pointerId); // keep the drag when the pointer leaves the drawing
      this.dragged = true;
      this.panPx(-dx, -dy);
    }
  }

  up(ev) {
    const p = this.pointers.get(ev.pointerId);
    if (!p) return;
    this.pointers.delete(ev.pointerId);
    if (ev.type !== "pointerup" || ev.pointerType !== "touch" || this.dragged) return;
    if (ev.timeStamp - p.t > 350 || Math.hypot(ev.clientX - p.x0, ev.clientY - p.y0) > 10) return;
    // A second tap soon after the first and near it: zoom in there, or back out when zoomed.
    const last = this.lastTap;
    this.lastTap = { t: ev.timeStamp, x: ev.clientX, y: ev.clientY };
    if (last && ev.timeStamp - last.t < 400 && Math.hypot(ev.clientX - last.x, ev.clientY - last.y) < 30) {
      this.lastTap = null;
      this.toggleAt(ev.clientX, ev.clientY);
    }
  }

  wheel(ev) {
    if (ev.ctrlKey || ev.metaKey) {
      ev.preventDefault();
      this.zoomAt(Math.exp(-ev.deltaY * 0.0025), ...this.units(ev.clientX, ev.clientY));
    } else if (this.zoomed) {
      // Pan while there is room; at the drawing's edge the page scrolls as usual.
      const before = this.vb.join(" ");
      this.panPx(ev.deltaX, ev.deltaY);
      if (this.vb.join(" ") !== before) ev.preventDefault();
    }
  }
}

function capture(svg, id) {
  try {
    svg.setPointerCapture(id);
    return true;
  } catch {
    return false;
  }
}

// The pain-region picker (Streamlit component v2): tap, click or Enter/Space an area to toggle it.
// The SVG is built by bodymap_app/regions.py, which escapes every name; the note below is textContent.

const PICKERS = new WeakMap();

class Picker {
  constructor(root) {
    this.root = root;
    this.map = root.querySelector(".bmp-map");
    this.note = root.querySelector(".bmp-picked");
    this.picked = [];
    this.rev = -1;
    this.svgText = "";
    this.map.addEventListener("click", (ev) => {
      const area = ev.target.closest && ev.target.closest(".bmp-region");
      if (area) this.toggle(area.dataset.key);
    });
    this.map.addEventListener("keydown", (ev) => {
      const area = ev.target.closest && ev.target.closest(".bmp-region");
      if (area && (ev.key === "Enter" || ev.key === " ")) {
        ev.preventDefault();
        this.toggle(area.dataset.key);
      }
    });
  }

  update(data) {
    if (data.svg !== this.svgText) {
      this.svgText = data.svg || "";
      const doc = new DOMParser().parseFromString(this.svgText, "image/svg+xml");
      const svg = doc.documentElement;
      this.map.replaceChildren(svg && svg.localName === "svg" ? document.importNode(svg, true) : document.createTextNode(""));
      // The popover opens in a layer of its own, away from its button in the tab order: bring the
      // keyboard to the first area (a mouse user sees no ring: the focus is not :focus-visible then).
      const first = this.map.querySelector(".bmp-region");
      if (first && !this.root.contains(document.activeElement)) first.focus({ preventScroll: true });
    }
    // Python changes the choice only on purpose (clear, a complaint chosen) and bumps the revision.
    if (data.rev !== this.rev) {
      this.rev = data.rev;
      this.picked = Array.isArray(data.picked) ? data.picked.slice() : [];
    }
    this.show();
  }

  toggle(key) {
    if (!key) return;
    const at = this.picked.indexOf(key);
    if (at >= 0) this.picked.splice(at, 1);
    else this.picked.push(key);
    this.show();
    try {
      this.api.setStateValue("picked", this.picked.slice());
    } catch (err) {
      console.warn("bodymap: could not send the regions", err);
    }
  }

  show() {
    const names = [];
    for (const area of this.map.querySelectorAll(".bmp-region")) {
      const on = this.picked.includes(area.dataset.key);
      area.setAttribute("aria-pressed", on ? "true" : "false");
      area.classList.toggle("bmp-on", on);
      if (on) names.push(area.getAttribute("aria-label"));
    }
    this.note.textContent = names.length ? `Chosen: ${names.join(", ")}` : "Nothing chosen yet.";
  }
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const root = parentElement.querySelector(".bmp");
  let ui = PICKERS.get(parentElement);
  if (!ui || ui.root !== root) {
    ui = new Picker(root);
    PICKERS.set(parentElement, ui);
  }
  ui.api = { setStateValue };
  ui.update(data || {});
}

// albru: fold code. Each code cell of a notebook page gets a button that hides or shows its
// code, and the page gets one that folds every cell at once; outputs always stay. Local only.
document.addEventListener("DOMContentLoaded", () => {
  const inputs = Array.from(document.querySelectorAll("div.cell > div.cell_input"));
  if (inputs.length === 0) return;
  const buttons = new Map();
  const show = (input, visible) => {
    input.hidden = !visible;
    const button = buttons.get(input);
    button.textContent = visible ? "Hide code" : "Show code";
    button.setAttribute("aria-expanded", String(visible));
  };
  for (const input of inputs) {
    const bar = document.createElement("div");
    bar.className = "albru-fold";
    const button = document.createElement("button");
    button.type = "button";
    button.addEventListener("click", () => show(input, input.hidden));
    bar.append(button);
    input.before(bar);
    buttons.set(input, button);
    show(input, true);
  }
  const all = document.createElement("button");
  all.type = "button";
  all.className = "albru-fold-all";
  all.textContent = "Hide all code";
  all.addEventListener("click", () => {
    const visible = inputs.every((input) => input.hidden);
    inputs.forEach((input) => show(input, visible));
    all.textContent = visible ? "Hide all code" : "Show all code";
  });
  const heading = document.querySelector("article h1");
  if (heading) heading.after(all);
});

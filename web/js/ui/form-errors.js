// A config problem at the form: the alert says it, the offending field
// (named in the message, by the form or the engine) gets the focus and is
// marked invalid, and both clear as soon as an edit fixes it (checked as
// New session would: the form's parse, then the engine's check_config).
const RECHECK_MS = 150;

export function createFormErrors({ form, fields, alert, check }) {
  let marked = null; // the field the alert is about
  let timer = 0;

  const fieldIn = (message) => fields.map((field) => field.name)
    .map((name) => [name, message.search(new RegExp(`\\b${name}\\b`))])
    .filter(([, at]) => at >= 0)
    .sort((a, b) => a[1] - b[1])[0]?.[0] ?? null;

  function clear() {
    if (marked) form.input(marked).removeAttribute("aria-invalid");
    marked = null;
    alert.say("");
  }

  async function recheck(name) {
    if (marked !== name) return;
    const parsed = form.read();
    let problem = parsed.error ?? null;
    if (!problem) problem = await check(parsed.config).then(() => null, (error) => error.message);
    if (marked === name && (!problem || fieldIn(problem) !== name)) clear();
  }

  for (const field of fields) {
    form.input(field.name).addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => recheck(field.name), RECHECK_MS);
    });
  }

  return {
    // Say `message`; focus and mark the field it names (or `field`).
    show(message, field = fieldIn(message)) {
      if (marked) form.input(marked).removeAttribute("aria-invalid");
      marked = field;
      alert.say(message);
      if (!field) return;
      form.input(field).setAttribute("aria-invalid", "true");
      form.focus(field);
    },
    clear,
  };
}

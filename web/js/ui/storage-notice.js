// The storage notice: what the store says went wrong with IndexedDB, in
// words, and, when the sessions went on in memory after the database was
// cleared or deleted, a button that writes them back to storage.
import { element } from "../draw/dom.js";

export function createStorageNotice(el) {
  const text = element("span");
  const button = element("button", { type: "button", textContent: "Save these sessions to storage again", hidden: true });
  el.append(text, " ", button);
  let store = null;
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await store.writeBack();
      text.textContent = "Saved to storage again: every session this tab held, its steps included.";
      button.hidden = true;
    } catch (error) {
      text.textContent = `${store.problem} Saving again failed (${error.message}): reload the page, `
        + "after exporting what you want to keep (Export trace).";
    } finally {
      button.disabled = false;
    }
  });
  return {
    // A problem of `of` (the store), said.
    say(message, of) {
      store = of;
      text.textContent = message;
      button.hidden = !of?.canWriteBack;
      el.hidden = false;
    },
  };
}

// The dataset part of the form: the bundled names, makemore's names.txt by
// URL, a text file or pasted text. Your own data is checked and described
// (documents, longest line, vocabulary) before anything trains.
//
//   const choice = createDatasetChoice({...form elements, engine}); // engine: sessions (checkSize, checkData)
//   choice.value                 "default" | "makemore" | "file" | "paste"
//   choice.set("makemore")       (a shared link's choice)
//   choice.paste(text)           pasted text, chosen
//   await choice.load()          {text, kind, name, num_docs, vocab, longest}, or
//                                throws a DatasetError naming the problem
//
// The engine judges every text (sessions/datasets.js). The choice and your
// own data (the pasted text, the chosen file's text and name) are kept in
// this tab's sessionStorage, so a reload keeps the form as it was; a file too
// large for it is said to need choosing again.

import { element } from "../draw/dom.js";
import { vocabularyLine } from "../draw/tokens.js";
import { createDatasets } from "../sessions/datasets.js";

const MAKEMORE_URL = "https://raw.githubusercontent.com/karpathy/makemore/master/names.txt";
const BUNDLED_URL = new URL("../../data/names.txt", import.meta.url);
const PREVIEW_DELAY_MS = 200;
const KEPT = "microgpt-lab-dataset-choice";
const OFFLINE = "you are offline: makemore's names need a connection; the bundled names work offline";

// The form's dataset as the last reload left it: {choice, paste, file: {name, text}} or {}.
function readKept() {
  try {
    return JSON.parse(sessionStorage.getItem(KEPT)) || {};
  } catch {
    return {};
  }
}

function keep(kept) {
  try {
    sessionStorage.setItem(KEPT, JSON.stringify(kept));
    return true;
  } catch {
    sessionStorage.removeItem(KEPT); // too large for the storage: nothing half-kept
    return false;
  }
}

async function download(datasets, url, name) {
  if (url === MAKEMORE_URL && !navigator.onLine) throw new Error(OFFLINE);
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(url === MAKEMORE_URL && !navigator.onLine ? OFFLINE
      : `could not download ${name} (${error.message}): check the connection; the bundled names work offline`);
  }
  return datasets.fromResponse(response, name);
}

export function createDatasetChoice({ radios, fileInput, pasteInput, info, preview, engine }) {
  const datasets = createDatasets(engine);
  const downloaded = new Map(); // choice -> dataset, fetched once
  const files = new WeakMap(); // a chosen file -> its dataset, read and judged once
  const current = () => radios.find((radio) => radio.checked).value;
  let kept = readKept();

  function fromFile(file) {
    if (!files.has(file)) files.set(file, datasets.fromFile(file));
    return files.get(file);
  }

  // The chosen data, judged by the engine, with its kind (sessions/dataset-kind.js): the choice.
  async function load() {
    const choice = current();
    return { ...(await loadChosen(choice)), kind: choice };
  }

  async function loadChosen(choice) {
    if (choice === "file") {
      const file = fileInput.files[0];
      if (file) return fromFile(file);
      if (kept.file) return datasets.fromText(kept.file.text, kept.file.name);
      throw new Error("choose a text file first");
    }
    if (choice === "paste") return datasets.fromText(pasteInput.value, "pasted text");
    if (downloaded.has(choice)) return downloaded.get(choice);
    const url = choice === "makemore" ? MAKEMORE_URL : BUNDLED_URL;
    const name = choice === "makemore" ? "makemore names.txt" : "names.txt";
    const dataset = await download(datasets, url, name);
    downloaded.set(choice, dataset);
    return dataset;
  }

  // What the form holds now, kept for a reload (a chosen file's text once read).
  async function remember() {
    const next = { choice: current(), paste: pasteInput.value, file: kept.file };
    const file = fileInput.files[0];
    if (file) next.file = await fromFile(file).then(({ name, text }) => ({ name, text }), () => null);
    kept = next;
    if (!keep(kept) && kept.file) {
      info.textContent = `${kept.file.name} is too large to keep in the form across a reload: after one, choose it again.`;
    }
  }

  async function showPreview() {
    const choice = current();
    preview.replaceChildren();
    delete preview.dataset.state;
    const own = (choice === "file" && (fileInput.files[0] || kept.file)) || (choice === "paste" && pasteInput.value);
    if (!own) return;
    try {
      const dataset = await load();
      if (current() !== choice) return;
      const { num_docs: docs, vocab, longest } = dataset;
      preview.dataset.state = "ok";
      preview.append(
        `${docs.toLocaleString("en")} documents · longest line ${longest.chars} characters (line ${longest.line}) · ` +
        `vocabulary ${vocab.length} characters + BOS: `,
        element("code", { className: "vocab", textContent: vocabularyLine(vocab) }),
      );
    } catch (error) {
      preview.dataset.state = "error";
      preview.textContent = error.message;
    }
  }

  function showChoice() {
    const choice = current();
    fileInput.hidden = choice !== "file";
    pasteInput.hidden = choice !== "paste";
    info.textContent = choice === "makemore" ? "Downloaded from GitHub when you start a session." : "";
    if (choice === "file" && kept.file && !fileInput.files[0]) {
      info.textContent = `Using ${kept.file.name}, kept from before the reload (or choose another file).`;
    }
    showPreview();
  }

  for (const radio of radios) radio.addEventListener("change", () => {
    showChoice();
    remember();
  });
  fileInput.addEventListener("change", async () => {
    await remember();
    showChoice();
  });
  let previewTimer = 0;
  pasteInput.addEventListener("input", () => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => {
      showPreview();
      remember();
    }, PREVIEW_DELAY_MS);
  });
  if (kept.choice) {
    pasteInput.value = kept.paste ?? "";
    radios.find((radio) => radio.value === kept.choice).checked = true;
    showChoice();
  }

  return {
    get value() {
      return current();
    },
    set(choice) {
      radios.find((radio) => radio.value === choice).checked = true;
      showChoice();
      remember();
    },
    paste(text) {
      pasteInput.value = text;
      this.set("paste");
    },
    load,
  };
}

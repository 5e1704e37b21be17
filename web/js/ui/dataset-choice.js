// The dataset part of the form: the bundled names, makemore's names.txt by
// URL, a text file or pasted text. Your own data is checked and described
// (documents, longest line, vocabulary) before anything trains.
//
//   const choice = createDatasetChoice(form elements);
//   choice.value                 "default" | "makemore" | "file" | "paste"
//   choice.set("makemore")       (a shared link's choice)
//   choice.paste(text)           pasted text, chosen
//   await choice.load()          {text, name, num_docs, vocab, longest}, or
//                                throws a DatasetError naming the problem

import * as datasets from "../sessions/datasets.js";

const MAKEMORE_URL = "https://raw.githubusercontent.com/karpathy/makemore/master/names.txt";
const BUNDLED_URL = new URL("../../data/names.txt", import.meta.url);
const PREVIEW_DELAY_MS = 200;

export function createDatasetChoice({ radios, fileInput, pasteInput, info, preview }) {
  const downloaded = new Map(); // choice -> dataset, fetched once
  const current = () => radios.find((radio) => radio.checked).value;

  async function load() {
    const choice = current();
    if (choice === "file") {
      const file = fileInput.files[0];
      if (!file) throw new Error("choose a text file first");
      return datasets.fromFile(file);
    }
    if (choice === "paste") return datasets.fromText(pasteInput.value, "pasted text");
    if (downloaded.has(choice)) return downloaded.get(choice);
    const url = choice === "makemore" ? MAKEMORE_URL : BUNDLED_URL;
    const name = choice === "makemore" ? "makemore names.txt" : "names.txt";
    const dataset = await datasets.fromResponse(await fetch(url), name);
    downloaded.set(choice, dataset);
    return dataset;
  }

  async function showPreview() {
    const choice = current();
    preview.replaceChildren();
    delete preview.dataset.state;
    const own = (choice === "file" && fileInput.files[0]) || (choice === "paste" && pasteInput.value);
    if (!own) return;
    try {
      const dataset = await load();
      if (current() !== choice) return;
      const { num_docs: docs, vocab, longest } = dataset;
      preview.dataset.state = "ok";
      preview.append(
        `${docs.toLocaleString("en")} documents · longest line ${longest.chars} characters (line ${longest.line}) · ` +
        `vocabulary ${vocab.length} characters + BOS: `,
        Object.assign(document.createElement("code"), { className: "vocab", textContent: vocab.join("") }),
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
    showPreview();
  }

  for (const radio of radios) radio.addEventListener("change", showChoice);
  fileInput.addEventListener("change", showPreview);
  let previewTimer = 0;
  pasteInput.addEventListener("input", () => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(showPreview, PREVIEW_DELAY_MS);
  });

  return {
    get value() {
      return current();
    },
    set(choice) {
      radios.find((radio) => radio.value === choice).checked = true;
      showChoice();
    },
    paste(text) {
      pasteInput.value = text;
      this.set("paste");
    },
    load,
  };
}

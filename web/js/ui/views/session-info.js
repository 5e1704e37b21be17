// One line about the shown session: its data, vocabulary and model size.
import { SESSION_STATUS } from "../../engine/protocol.js";

export function createSessionInfo(el) {
  return {
    select({ record }) {
      const parts = [record.dataset_name || "dataset", `${(record.num_docs ?? 0).toLocaleString("en")} documents`];
      if (record.vocab) parts.push(`vocabulary ${record.vocab.length} + BOS: ${record.vocab.join("")}`);
      if (record.num_params) parts.push(`${record.num_params.toLocaleString("en")} parameters`);
      if (record.status === SESSION_STATUS.IMPORTED) parts.push("read-only");
      el.textContent = parts.join(" · ");
    },
  };
}

// A session's own name (draw/names.js ownName): cut between characters as a reader counts them, never blank.
import assert from "node:assert/strict";
import { test } from "node:test";

import { NAME_LIMIT, ownName } from "../../web/js/draw/names.js";

test("a long name is cut after 80 characters, never inside one", () => {
  const family = "👨‍👩‍👧"; // one character to a reader, 8 UTF-16 units
  assert.equal(ownName(family.repeat(100)), family.repeat(NAME_LIMIT));
  assert.equal(ownName(`${"a".repeat(79)}😀😀`), `${"a".repeat(79)}😀`); // was cut at 80 units: half an emoji
  const accented = "e\u0301"; // e and a combining accent: one character
  assert.equal(ownName(accented.repeat(90)), accented.repeat(NAME_LIMIT));
  assert.equal(ownName("  my run  "), "my run");
  assert.equal(ownName("x".repeat(80)), "x".repeat(80));
});

test("an empty name is none; one of only invisible characters is refused, saying so", () => {
  for (const empty of ["", "   ", "\n\t", null, undefined]) assert.equal(ownName(empty), null);
  for (const invisible of ["\u200b\u200b\u200b", "\u200d\u2060\ufeff", " \u200e\u200f ", "\u3164", "\u0301\u0301",
    "\u2800", "\u00ad"]) {
    assert.throws(() => ownName(invisible), /needs at least one visible character/, JSON.stringify(invisible));
  }
  assert.equal(ownName("\u200bab\u200b"), "\u200bab\u200b"); // visible characters kept as typed
});

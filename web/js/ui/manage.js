// Renaming and deleting sessions from the sessions list, each deletion
// confirmed first. When the shown session goes, the newest one left is
// shown; when none is left, the page starts afresh. `page()` gives the
// router, made after the views.
export function manageSessions({ sessions, alert, page }) {
  async function afterDeletion() {
    const { router } = page();
    const list = await router.refreshList();
    if (!list.length) {
      location.reload();
      return;
    }
    if (!list.some((session) => session.id === router.current)) await router.select(list[list.length - 1].id);
  }

  const guarded = (fn) => async (...args) => {
    try {
      await fn(...args);
    } catch (error) {
      alert.say(error.message);
    }
  };

  return {
    onRename: guarded(async (id, name) => {
      await sessions.rename(id, name);
      await page().router.refreshList();
    }),
    onDelete: guarded(async (id, name) => {
      if (!confirm(`Delete session "${name}"? Its steps, checkpoints and samples go, and its data if no other ` +
                   "session uses it. This cannot be undone.")) return;
      alert.say("");
      await sessions.remove(id);
      await afterDeletion();
    }),
    onDeleteAll: guarded(async () => {
      if (!confirm("Delete every session in this browser, with their steps, checkpoints, samples and data? " +
                   "This cannot be undone.")) return;
      alert.say("");
      const kept = await sessions.removeAll();
      if (kept) alert.say(`${kept} session${kept === 1 ? " is" : "s are"} held by another tab and stayed: ` +
                          "delete them there, or close that tab first.");
      await afterDeletion();
    }),
  };
}

// Other tabs of the lab: who shows which session, who trains which, and
// their sessions' events (protocol.js, section 5).
//
//   const tabs = createTabs({ onMessage, announce });
//   tabs.tab                      this tab's id
//   tabs.broadcast(message)       to every other tab
//   tabs.watch(id)                this tab now shows session `id`
//   tabs.watchers(id)             how many tabs show it, this one included
//   tabs.remote(id)               {tab, status, step, num_steps} from the tab
//                                 that trains it, or undefined
//   await tabs.acquire(id)        own a session: hold its Web Lock (false:
//                                 another tab owns it); the returned
//                                 promise's value is a release function
//   await tabs.held()             the names of the locks held in any tab
//
// onMessage(message) gets what the page must hear: {type: "event" | "sample"
// | "status", session, ...} of sessions other tabs train, and {type: "list"}
// when who watches what changed or the stored list did. A tab that opens
// says hello and everyone answers: announce() re-broadcasts this tab's own
// sessions' statuses.

import { BROADCAST, CHANNEL_NAME, lockName } from "../engine/protocol.js";

export function createTabs({ onMessage, announce }) {
  const tab = `t${crypto.randomUUID().replace(/-/g, "").slice(0, 8)}`;
  const channel = new BroadcastChannel(CHANNEL_NAME);
  const watching = new Map(); // tab -> the session it shows
  const remote = new Map(); // session -> {tab, status, step, num_steps}
  const releases = new Map(); // session -> release of its Web Lock
  let watched = null;

  const broadcast = (message) => channel.postMessage({ ...message, tab });

  channel.onmessage = ({ data }) => {
    switch (data.type) {
      case BROADCAST.HELLO:
        broadcast({ type: BROADCAST.WATCH, session: watched });
        announce();
        return;
      case BROADCAST.WATCH:
        watching.set(data.tab, data.session);
        onMessage({ type: "list" });
        return;
      case BROADCAST.BYE:
        watching.delete(data.tab);
        for (const [id, info] of remote) if (info.tab === data.tab) remote.delete(id);
        onMessage({ type: "list" });
        return;
      case BROADCAST.STATUS: {
        const { session, status, step, num_steps } = data;
        remote.set(session, { tab: data.tab, status, step, num_steps });
        onMessage({ type: "status", session, status, step, num_steps });
        return;
      }
      case BROADCAST.EVENT:
        onMessage({ type: "event", session: data.session, event: data.event, remote: true });
        return;
      case BROADCAST.SAMPLE:
        onMessage({ type: "sample", session: data.session, result: data.result, remote: true });
        return;
      case BROADCAST.LIST:
        onMessage({ type: "list" });
        return;
      default:
    }
  };

  const hello = () => {
    broadcast({ type: BROADCAST.HELLO });
    broadcast({ type: BROADCAST.WATCH, session: watched });
  };
  const onPageHide = () => broadcast({ type: BROADCAST.BYE });
  // Back from the back/forward cache: announce this tab again.
  const onPageShow = (event) => {
    if (event.persisted) hello();
  };
  addEventListener("pagehide", onPageHide);
  addEventListener("pageshow", onPageShow);
  hello();

  // Hold the session's Web Lock until release() or the tab goes away.
  function acquire(id) {
    if (!navigator.locks) return Promise.resolve(() => {});
    return new Promise((resolve) => {
      navigator.locks.request(lockName(id), { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(false);
          return undefined;
        }
        return new Promise((release) => {
          releases.set(id, release);
          resolve(release);
        });
      });
    });
  }

  return {
    tab,
    broadcast,
    acquire,
    remote: (id) => remote.get(id),
    async held() {
      return navigator.locks ? new Set((await navigator.locks.query()).held.map((lock) => lock.name)) : new Set();
    },
    isLocked: (held, id) => held.has(lockName(id)),
    watch(id) {
      watched = id;
      broadcast({ type: BROADCAST.WATCH, session: id });
    },
    watchers(id) {
      let count = watched === id ? 1 : 0;
      for (const session of watching.values()) if (session === id) count += 1;
      return count;
    },
    destroy() {
      removeEventListener("pagehide", onPageHide);
      removeEventListener("pageshow", onPageShow);
      broadcast({ type: BROADCAST.BYE });
      channel.close();
      for (const release of releases.values()) release();
    },
  };
}

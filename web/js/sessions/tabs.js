// Other tabs of the lab: who shows which session, who trains which, and
// their sessions' events (protocol.js, section 5).
//
//   const tabs = new Tabs({ onMessage, announce, onPauseAsked });
//   tabs.tab                      this tab's id
//   tabs.broadcast(message)       to every other tab
//   tabs.share(message)           the same, if another tab is open (step events)
//   tabs.watch(id)                this tab now shows session `id`
//   tabs.watchers(id)             how many tabs show it, this one included
//   tabs.remote(id)               {tab, status, step, num_steps} from the tab
//                                 that holds it, or undefined
//   const release = await tabs.acquire(id)  hold a session's Web Lock, or
//                                 null when another tab holds it; release()
//                                 lets it go
//   const release = await tabs.waitFor(id, signal)  the same, once the tab
//                                 holding it lets go or dies (rejects when
//                                 `signal` aborts first)
//   tabs.askPause(id)             ask the tab that holds it to pause its run
//   tabs.isLocked(await tabs.held(), id)  whether any tab holds its lock
//
// onMessage(message) gets what the page must hear: {type: "event" | "sample"
// | "status", session, ...} of sessions other tabs hold, and {type: "list"}
// when who watches what changed or the stored list did. onPauseAsked(id):
// another tab's Pause of a session this tab may hold. A tab that opens
// says hello and everyone answers: announce() re-broadcasts this tab's own
// sessions' statuses.

import { BROADCAST, CHANNEL_NAME, lockName } from "../engine/protocol.js";

export class Tabs {
  tab = `t${crypto.randomUUID().replace(/-/g, "").slice(0, 8)}`;
  #channel = new BroadcastChannel(CHANNEL_NAME);
  #watching = new Map(); // tab -> the session it shows
  #remote = new Map(); // session -> {tab, status, step, num_steps}
  #watched = null;

  constructor({ onMessage, announce, onPauseAsked }) {
    Object.assign(this, { onMessage, announce, onPauseAsked });
    this.#channel.onmessage = ({ data }) => this.#receive(data);
    // Leaving, and back from the back/forward cache: say so.
    addEventListener("pagehide", () => this.broadcast({ type: BROADCAST.BYE }));
    addEventListener("pageshow", (event) => event.persisted && this.#hello());
    this.#hello();
  }

  broadcast(message) {
    this.#channel.postMessage({ ...message, tab: this.tab });
  }

  // A run's step events: broadcast only while another tab is known (a tab
  // says hello as it starts), as each is copied to every tab of the origin.
  share(message) {
    if (this.#watching.size) this.broadcast(message);
  }

  watch(id) {
    this.#watched = id;
    this.broadcast({ type: BROADCAST.WATCH, session: id });
  }

  watchers(id) {
    let count = this.#watched === id ? 1 : 0;
    for (const session of this.#watching.values()) if (session === id) count += 1;
    return count;
  }

  remote(id) {
    return this.#remote.get(id);
  }

  // Hold the session's Web Lock: a function that lets it go, or null when
  // another tab holds it. Without Web Locks (very old browsers) every tab
  // holds every session.
  acquire(id) {
    return this.#request(id, { ifAvailable: true });
  }

  // Hold it once the tab that holds it lets go or dies (the browser frees
  // a dead page's locks).
  waitFor(id, signal) {
    return this.#request(id, { signal });
  }

  #request(id, options) {
    if (!navigator.locks) return Promise.resolve(() => {});
    return new Promise((resolve, reject) => {
      navigator.locks.request(lockName(id), options, (lock) => {
        if (!lock) {
          resolve(null);
          return undefined;
        }
        return new Promise((letGo) => resolve(letGo));
      }).catch(reject); // aborted while waiting
    });
  }

  // This tab took session `id` over: what its last holder said is void.
  forget(id) {
    this.#remote.delete(id);
  }

  askPause(id) {
    this.broadcast({ type: BROADCAST.PAUSE, session: id });
  }

  // The names of the Web Locks held in any tab (isLocked reads them).
  async held() {
    return navigator.locks ? new Set((await navigator.locks.query()).held.map((lock) => lock.name)) : new Set();
  }

  isLocked(held, id) {
    return held.has(lockName(id));
  }

  #hello() {
    this.broadcast({ type: BROADCAST.HELLO });
    this.broadcast({ type: BROADCAST.WATCH, session: this.#watched });
  }

  #receive(data) {
    switch (data.type) {
      case BROADCAST.HELLO:
        if (!this.#watching.has(data.tab)) this.#watching.set(data.tab, null);
        this.broadcast({ type: BROADCAST.WATCH, session: this.#watched });
        this.announce();
        return;
      case BROADCAST.WATCH:
        this.#watching.set(data.tab, data.session);
        this.onMessage({ type: "list" });
        return;
      case BROADCAST.BYE:
        this.#watching.delete(data.tab);
        for (const [id, info] of this.#remote) if (info.tab === data.tab) this.#remote.delete(id);
        this.onMessage({ type: "list" });
        return;
      case BROADCAST.STATUS: {
        const { tab, type, ...info } = data;
        this.#remote.set(info.session, { tab, ...info });
        this.onMessage({ type: "status", ...info, owner: "other" });
        return;
      }
      case BROADCAST.EVENT: {
        // The owner says its status only when it changes: its step follows its events.
        const info = this.#remote.get(data.session);
        if (info) info.step = Math.max(info.step, data.event.step);
        this.onMessage({ type: "event", session: data.session, event: data.event, remote: true, streamed: data.streamed });
        return;
      }
      case BROADCAST.RELEASE:
        this.#remote.delete(data.session);
        this.onMessage({ type: "list" });
        return;
      case BROADCAST.PAUSE:
        this.onPauseAsked(data.session);
        return;
      case BROADCAST.SAMPLE:
        this.onMessage({ type: "sample", session: data.session, result: data.result, remote: true });
        return;
      case BROADCAST.LIST:
        this.onMessage({ type: "list" });
        return;
      default:
    }
  }
}

// Saves a Streamlit text area about a second after the last key, and keeps a draft in this tab
// (sessionStorage) until the save lands, so a reload in the middle of typing loses nothing.
// The save goes through Streamlit's own widget (Ctrl+Enter commits a text area), so validation,
// conflicts and merges stay in Python. A draft found after a reload is sent back with the version it
// was typed over, and Python merges it into whatever is saved now. The saved text itself never comes
// to the browser through here, only its hash (FNV-1a over UTF-16 code units, as in autosave.py).
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const draftKey = "debrief-draft:" + data.draft;
  const entries = (window.__debriefAutosave ??= {});
  const entry = (entries[data.draft] ??= { timer: null, box: null, checked: false, tries: 0 });
  entry.savedHash = data.saved_hash;
  entry.status = parentElement.querySelector(".debrief-autosave");
  if (!parentElement.querySelector("style.debrief-hint")) {
    // The field saves by itself, so Streamlit's "Press Ctrl+Enter to apply" would mislead. The class name
    // comes from our own widget key, reduced to letters, digits, "_" and "-".
    const style = document.createElement("style");
    style.className = "debrief-hint";
    style.textContent = "." + data.container + " [data-testid='InputInstructions'] { display: none; }";
    parentElement.appendChild(style);
  }
  entry.version = data.version;
  if (entry.restoringAt !== undefined && entry.restoringAt !== data.version) entry.restoringAt = undefined;

  const hash = (text) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h;
  };
  const isSaved = (text) => hash(text) === entry.savedHash;
  const findBox = () => document.querySelector("." + data.container + " textarea");
  const paint = (box) => {
    const status = entry.status;
    if (!status) return;
    const dirty = !isSaved(box.value);
    if (dirty) entry.typed = true;  // "Saved" means something typed here was saved, so only after that
    status.dataset.state = dirty ? "unsaved" : "saved";
    status.classList.toggle("unsaved", dirty);
    status.querySelector(".state").textContent = dirty ? "Unsaved changes · " : entry.typed ? "Saved · " : "";
    // The box shows what is saved (typed and saved, or merged by the server): the draft has served, unless a
    // restored draft is still on its way to the server.
    if (!dirty && entry.restoringAt === undefined && entry.checked) sessionStorage.removeItem(draftKey);
  };
  const commit = (box) => {
    // Not if the server has since replaced the text (a merge): only what was typed here is sent.
    if (isSaved(box.value) || box.value !== entry.lastTyped) return;
    box.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true }));
  };
  const onInput = (event) => {
    const box = event.target;
    entry.lastTyped = box.value;
    // The version the text was typed over stays the one first seen, until a save lands.
    const old = JSON.parse(sessionStorage.getItem(draftKey) || "null");
    const version = old && old.version !== undefined && !isSaved(old.value) ? old.version : entry.version;
    sessionStorage.setItem(draftKey, JSON.stringify({ value: box.value, version }));
    paint(box);
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => commit(box), data.delay_ms);
  };
  const restore = (box) => {
    const raw = sessionStorage.getItem(draftKey);
    if (!raw) return;
    const draft = JSON.parse(raw);
    if (isSaved(draft.value)) {
      sessionStorage.removeItem(draftKey);
    } else if (draft.value !== box.value) {
      entry.restoringAt = entry.version; // the draft goes to Python, which merges and saves it
      entry.restoreSent = Date.now();
      entry.restoreTries = 1;
      entry.draftSent = draft;
      setTriggerValue("draft", draft);
    }
  };
  const attach = () => {
    const box = findBox();
    if (!box) {
      if (entry.tries++ < 50) setTimeout(attach, 100);
      return;
    }
    if (entry.box !== box) {
      entry.box = box;
      box.addEventListener("input", onInput);
    }
    if (!entry.checked) {  // once per page load: a draft left by the page before a reload
      restore(box);
      entry.checked = true;
    }
    paint(box);
    // The server may set the text (a merge, a restored draft) after this runs, with no input event:
    // look again now and then, so the mark never claims "unsaved" for text that is saved.
    entry.poll ??= setInterval(() => {
      const b = findBox();
      if (b) paint(b);
      // A draft sent while another rerun was starting can go unanswered: send it again, a few times.
      if (entry.restoringAt !== undefined && Date.now() - entry.restoreSent > 3000 && entry.restoreTries < 4) {
        entry.restoreSent = Date.now();
        entry.restoreTries += 1;
        setTriggerValue("draft", entry.draftSent);
      }
    }, 500);
  };
  attach();
}

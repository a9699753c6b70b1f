// Saves a Streamlit text area about a second after the last key, and keeps a draft in this tab
// (sessionStorage) until the save lands, so a reload in the middle of typing loses nothing.
// The save goes through Streamlit's own widget (Ctrl+Enter commits a text area), so validation,
// conflicts and merges stay in Python. A draft found after a reload is sent back with the text it
// was typed over, and Python merges it into whatever is saved now.
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const status = parentElement.querySelector(".debrief-autosave");
  const draftKey = "debrief-draft:" + data.draft;
  const entries = (window.__debriefAutosave ??= {});
  const entry = (entries[data.draft] ??= { timer: null, box: null, restored: false, tries: 0 });
  entry.saved = data.saved;

  const findBox = () => document.querySelector("." + data.container + " textarea");
  const paint = (box) => {
    if (!status) return;
    const dirty = box.value !== entry.saved;
    status.dataset.state = dirty ? "unsaved" : "saved";
    status.classList.toggle("unsaved", dirty);
    status.querySelector(".state").textContent = dirty ? "Unsaved changes" : "Saved";
  };
  const commit = (box) => {
    if (box.value === entry.saved) return;
    box.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true }));
  };
  const onInput = (event) => {
    const box = event.target;
    sessionStorage.setItem(draftKey, JSON.stringify({ value: box.value, base: entry.saved }));
    paint(box);
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => commit(box), data.delay_ms);
  };
  const restore = (box) => {
    const raw = sessionStorage.getItem(draftKey);
    if (!raw) return;
    const draft = JSON.parse(raw);
    if (draft.value === entry.saved) {
      sessionStorage.removeItem(draftKey);
    } else if (!entry.restored && draft.value !== box.value) {
      entry.restored = true; // once per page load: the draft goes to Python, which merges and saves it
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
    restore(box);
    paint(box);
  };
  attach();
}

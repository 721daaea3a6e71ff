import "./app.css";
import { mount } from "svelte";
import App from "./App.svelte";
import { insideTauri, useBackend } from "./lib/api";

// In a plain browser during development there is no Rust side: answer from memory.
// `import.meta.env.DEV` is false in builds, so the mock never ships.
if (import.meta.env.DEV && !insideTauri()) {
  const { mockInvoke } = await import("./lib/mock/backend");
  useBackend(mockInvoke);
}

export default mount(App, { target: document.body });

// Browser entry: mounts the explorer's React root into index.html's #root.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { AppStore } from "./store.ts";
import "./app.css";

const root = document.getElementById("root");
if (!root) throw new Error("ljscope: #root element missing from index.html");
const store = new AppStore();
createRoot(root).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);

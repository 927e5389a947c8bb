// Vite config for the explorer: React, and ES-module workers (the engine runs
// in a Web Worker, and its modules use import/export).
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  worker: { format: "es" },
  // Monaco's chunk is large by nature; it is loaded lazily, after the first render.
  build: { outDir: "dist", sourcemap: true, chunkSizeWarningLimit: 4096 },
});

/**
 * Vite: `npm run app` (dev server, `config.json` made on each request from `deployments/` and the
 * environment) and `npm run app:build` (static bundle in `app/dist/`, with a `config.json` written
 * the same way).
 */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { buildAppConfig } from "./config-file";

function appConfig(): Plugin {
  return {
    name: "datagen-app-config",
    configureServer(server) {
      server.middlewares.use("/config.json", (_req, res) => {
        try {
          res.setHeader("content-type", "application/json");
          res.end(JSON.stringify(buildAppConfig(), null, 2));
        } catch (error) {
          res.statusCode = 500;
          res.end(JSON.stringify({ error: (error as Error).message }));
        }
      });
    },
    generateBundle() {
      // A build without any deployment record still produces the bundle; its host supplies config.json.
      let source: string;
      try {
        source = JSON.stringify(buildAppConfig(), null, 2);
      } catch (error) {
        this.warn(`config.json not written: ${(error as Error).message}`);
        return;
      }
      this.emitFile({ type: "asset", fileName: "config.json", source });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  plugins: [react(), appConfig()],
  // One entry chunk: React, wagmi and viem are most of it (about 170 kB gzipped); `npm run app:measure` reports it.
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: false, chunkSizeWarningLimit: 700 },
  server: { host: "127.0.0.1", port: 5173 },
});

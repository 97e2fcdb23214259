/** Loads `config.json`, then starts the app. */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { validateConfig } from "./config";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);

async function start() {
  let config;
  try {
    const response = await fetch("./config.json", { cache: "no-store" });
    if (!response.ok) throw new Error(`config.json: the server answered ${response.status}`);
    config = validateConfig(await response.json());
  } catch (error) {
    root.render(
      <main className="fatal" role="alert">
        <h1>Datagen</h1>
        <p>The app cannot start: {(error as Error).message}</p>
        <p>
          Its host serves a config.json next to the page, naming the chain and the suite's addresses (see the README).
        </p>
      </main>,
    );
    return;
  }
  root.render(
    <StrictMode>
      <App config={config} />
    </StrictMode>,
  );
}

void start();

// The application layer: what the engine's HTTP edge and the CLI share (the write path, revealing
// personal data, the clock-driven watchers). Imports libraries only, never an app or HTTP.
export {};

// Imported first by cli.tsx, before anything loads React: the chat UI runs React's production
// build unless NODE_ENV says otherwise. The development build costs ~4 ms per frame and keeps
// ~38 performance entries per frame that are never cleared, so memory grows while the UI runs.
process.env['NODE_ENV'] ??= 'production';

export {};

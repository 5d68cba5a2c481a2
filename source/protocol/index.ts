export * from './decoder.js';
export * from './encoder.js';
export * from './errors.js';
export * from './frame.js';
export { parseRequest, parseServerFrame, type ServerFrame } from './request.js';
export * from './status.js';

// The payload builders live with the fakes, which the demo uses too.
export * from '../../src/stand-ins/facebook-webhook-payloads.js';

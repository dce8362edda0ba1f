// The payload builders live with the fakes, which the demo uses too.
export * from '../fakes/facebook-webhook-payloads.js';

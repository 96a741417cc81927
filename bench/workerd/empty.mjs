// The baseline for the time-to-first-response method: a Worker that imports nothing.
export default {
  async fetch() {
    return Response.json({ ms: 0, dateMs: 0, ok: true });
  },
};

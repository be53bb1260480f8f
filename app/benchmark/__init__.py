"""`lifeact bench`: the benchmark the performance goals (issue 11) are checked against.

One run measures, on this machine:
- seed load time (the ordinary verified loader, and the bulk loader);
- in-process latency (p50, p99) of every named read query on the embedded store (and on the
  Neo4j of NEO4J_URI when that variable is set), each with representative parameters;
  writes (merge_*, bulk_*, prune_*, create_*) are not run here: they are timed as the loads;
- views: every /views page from `lifeact serve` (first request, then cached), server-side
  rendering of large synthetic neighbourhoods, layout time in headless chromium;
- HTTP at seed scale: one uvicorn worker on 127.0.0.1 serving a copy of the seed store; every
  endpoint's throughput at 32 connections and p50/p99 latency at one connection, as ratios to a
  trivial FastAPI app served the same way (the framework floor) and to `/health`, measured in
  the same run (the client is asyncio with keep-alive connections and shares the cores with the
  server); the server's memory afterwards;
- EU scale: a synthetic graph (`lifeact synth`) bulk-loaded; in-process, the per-graph tables
  built cold and the named queries; then `lifeact serve` on it: the time from start to its first
  answer of /api/overlap, overlap, replication, paths, graph (depth 2) and search over HTTP with
  a new question on every request, replication for five themes (no goal), and the server's memory.

Prints a table and writes JSON (`--json PATH`). Timings are wall-clock on a shared machine:
compare ratios within one run, not absolute numbers across runs.

Modules: plan (goals, profiles, the seed's inputs), measure (timing, percentiles), client (the
asyncio HTTP client), server (starting a server and waiting for it, its memory), floor (the
trivial app), calls (every in-process call into app/services), then one module per section:
queries, views, endpoints, scale; run (one whole run) and report (the table). The command is
app/cli/bench.py.
"""

"""`lifeact bench`: the benchmark the performance goals are checked against.

One run measures, on this machine:
- seed load time (the ordinary verified loader, and the bulk loader);
- in-process latency (p50, p99) of every named read query on the embedded store (and on the
  Neo4j of NEO4J_URI when that variable is set), each with representative parameters;
  writes (merge_*, bulk_*, prune_*, create_*) are not run here: they are timed as the loads;
- HTTP: one uvicorn worker on 127.0.0.1 serving a copy of the seed store; every endpoint's
  throughput at 32 connections and p50/p99 latency at one connection, as ratios to `/health`
  measured in the same run (the client is asyncio with keep-alive connections and shares the
  cores with the server);
- server-side view generation (every /views page, in-process);
- scale: a synthetic graph (`lifeact synth`) bulk-loaded, the time to build the per-graph
  caches (cold), then steady-state latency of the named queries and of overlap, replication,
  paths and graph (depth 2) with different parameters on every call.

Prints a table and writes JSON (`--json PATH`). Timings are wall-clock on a shared machine:
compare ratios within one run, not absolute numbers across runs.

Modules: plan (goals, profiles, the seed's inputs), measure (timing, percentiles), client (the
asyncio HTTP client), server (starting a server and waiting for it, its memory), calls (every
in-process call into app/services), then one module per section: queries, views, endpoints,
scale; run (one whole run) and report (the table). `lifeact bench` is app/cli/bench.py.
"""

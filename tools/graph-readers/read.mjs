// Reads a GEXF or GraphML file with graphology's parsers (what Gephi Lite and sigma.js use) and
// prints, as JSON, the graph a tool built on them would show: its type, nodes and edges with attributes.
import { readFileSync } from "node:fs";
import graphology from "graphology";
import gexf from "graphology-gexf";
import graphml from "graphology-graphml";

const path = process.argv[2];
if (!path) {
  console.error("usage: node read.mjs FILE.gexf|FILE.graphml");
  process.exit(2);
}
const parser = path.endsWith(".gexf") ? gexf : graphml;
const graph = parser.parse(graphology.MultiDirectedGraph, readFileSync(path, "utf8"));
const nodes = {};
graph.forEachNode((id, attributes) => {
  nodes[id] = attributes;
});
const edges = [];
graph.forEachEdge((_key, attributes, source, target) => {
  edges.push({ source, target, attributes });
});
process.stdout.write(JSON.stringify({ type: graph.type, multi: graph.multi, order: graph.order, size: graph.size, nodes, edges }));

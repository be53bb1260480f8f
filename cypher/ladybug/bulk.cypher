// Bulk loading (`lifeact synth`, large graphs): COPY from CSV files written by app/graph/bulk.py.
// LadybugDB cannot take a file name as a parameter, so bulk.py puts the quoted path of a file
// it wrote itself in place of $file; nothing from input ever reaches these texts.

// name: bulk_nodes
// Copies one node table from a CSV file (header line, columns in app.graph.schema order).
COPY __LABEL__ FROM $file (header=true)

// name: bulk_relationships
// Copies one relationship shape from a CSV file (source id, target id, then the properties).
COPY __REL_TYPE__ FROM $file (from='__FROM_LABEL__', to='__TO_LABEL__', header=true)

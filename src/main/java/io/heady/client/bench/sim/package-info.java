/**
 * A node simulator: many heady nodes in one lightweight process, so the manager can be measured alone. Each
 * simulated node is an HTTP-transport node (DESIGN.md §2): it registers and heartbeats with the join token
 * over the documented endpoints, serves the node API the manager dispatches to (one Vert.x server; node
 * {@code <id>} lives under {@code /n/<id>/api/node/…}), and completes every dispatched task at once under its
 * lease. Uses only HTTP and {@code io.heady.common.protocol}.
 */
package io.heady.client.bench.sim;

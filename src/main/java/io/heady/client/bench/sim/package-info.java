/**
 * A node simulator: many heady nodes in one lightweight process, so the manager can be measured alone. Each
 * simulated node is an HTTP-transport node (DESIGN.md §2) that speaks the agent's protocol in its own classes
 * ({@code io.heady.common.protocol}: {@code Registration}, {@code Heartbeat}, {@code Completion},
 * {@code Dispatch}, the API's error codes) and answers a dispatch as the agent does
 * ({@code io.heady.common.node.DispatchAnswer}): it enrolls with the join token, then registers, heartbeats and
 * reports sealed with its own key, serves the node API the manager dispatches to (one Vert.x server; node
 * {@code <id>} lives under {@code /n/<id>/api/node/…}) and completes every dispatched task at once under its
 * lease. {@code NodeSimulator} puts together {@code SimNodes} (state and counters), {@code SimManagerCalls}
 * (what the nodes send) and {@code SimNodeApi} (what they answer). Uses only HTTP and {@code io.heady.common}.
 */
package io.heady.client.bench.sim;

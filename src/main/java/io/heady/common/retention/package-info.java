/**
 * What a node keeps of its tasks' logs, and for how long. {@link io.heady.common.retention.LogRetention}
 * decides (files older than {@code --log-retention-days}, then the oldest while the folder is over
 * {@code --log-max-mb}; never a running task's file) from a listing, a set of running tasks and a time;
 * {@link io.heady.common.retention.LogSweeper} lists the folder, applies the decision and runs it periodically
 * on a thread of its own. The agent and the manager's local executor each run one over their own log folder.
 */
package io.heady.common.retention;

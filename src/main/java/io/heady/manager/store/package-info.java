/**
 * Durable cluster state behind one interface, {@link io.heady.manager.store.ClusterStore}: the in-memory
 * store (the default, a real implementation) and the Redis store
 * ({@link io.heady.manager.store.RedisClusterStore}) share one contract test suite. Both keep the same
 * indexes (unfinished tasks by {@code seq}, finished tasks by finish order and, per status, by {@code seq}), the same
 * {@link io.heady.manager.store.Retention} of finished tasks and the same fenced leadership lease.
 *
 * <p>The memory store keeps its tasks and their indexes in {@code MemoryTasks} under its one lock. The Redis store
 * is built from small parts, one concern each, all package-private: {@code RedisLink} (the
 * one pipelined connection, timeouts, reconnection with backoff), {@code RedisUrl} (what the URL says),
 * {@code RedisScripts} and {@code RedisKeys} (the Lua scripts and the key layout), {@code RedisWrites} (the
 * fenced writes), {@code RedisTaskReads} (tasks, history, pages merged by {@code IndexMerge}),
 * {@code RedisDocuments} (nodes, counters, identity, secrets, enrollments), {@code RedisLeadership} (the lease) and
 * {@code RedisMaintenance} (the durability warning and the index backfill, once connected).
 */
package io.heady.manager.store;

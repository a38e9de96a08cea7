/**
 * Durable cluster state behind one interface, {@link io.heady.manager.store.ClusterStore}: the in-memory
 * store (the default, a real implementation) and the Redis store
 * ({@link io.heady.manager.store.RedisClusterStore}) share one contract test suite. Both keep the same
 * indexes (unfinished tasks by {@code seq}, finished tasks by finish order and, per status, by {@code seq}), the same
 * {@link io.heady.manager.store.Retention} of finished tasks and the same fenced leadership lease.
 */
package io.heady.manager.store;

/**
 * Durable cluster state behind one interface, {@link io.heady.manager.store.ClusterStore}: the in-memory
 * store (the default, a real implementation) and the Redis store share one contract test suite.
 */
package io.heady.manager.store;

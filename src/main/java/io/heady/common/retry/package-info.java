/**
 * Waiting before trying again: {@link io.heady.common.retry.Backoff}, the one doubling backoff heady uses
 * wherever something retries (registration, enrollment, result delivery, probes of a suspect node, task retries,
 * store reconnection, polls for a process to die).
 */
package io.heady.common.retry;

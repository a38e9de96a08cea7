/**
 * Tasks as the manager keeps them: states and the one transition table, attempts and leases, and how an
 * attempt moves ({@link io.heady.manager.task.TaskLifecycle}: results by lease, retries, take-backs, cancel,
 * the stagnation ladder), each step by {@code now} returning the outcome the scheduler applies. No verticle,
 * no clock, no I/O.
 */
package io.heady.manager.task;

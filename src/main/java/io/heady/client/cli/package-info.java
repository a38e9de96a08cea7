/**
 * The {@code heady} command line, built on picocli: run, submit, status, nodes, workers, tasks, task, logs,
 * cancel, drain, explain, token. One class per command; {@link io.heady.client.cli.Cli} is the entry point and
 * turns every failure into one line and an exit code. Talks to the manager only through the SDK.
 */
package io.heady.client.cli;

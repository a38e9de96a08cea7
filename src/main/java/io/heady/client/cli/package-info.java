/** The {@code heady} command line: run, nodes, tasks, status, logs, cancel, drain, explain, token. */
package io.heady.client.cli;

package io.heady.client.cli;

import io.heady.client.HeadyClient;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** A {@code heady} subcommand: it reaches the context and the client through the top command. */
abstract class SubCommand implements Callable<Integer> {
  /** Set by the CLI's factory. */
  HeadyCommand top;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  HeadyClient client() {
    return top.client();
  }

  boolean json() {
    return top.json;
  }

  CliContext ctx() {
    return top.ctx;
  }

  /** A usage error raised while running (exit 2, one line). */
  CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}

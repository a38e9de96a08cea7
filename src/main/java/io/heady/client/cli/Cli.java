package io.heady.client.cli;

/** The {@code heady} command line. */
public final class Cli {
  private Cli() {}

  /** Runs one command; returns the process exit code. */
  public static int run(String[] args) {
    System.err.println("heady: unknown command '" + args[0] + "' (start a server with --role=manager or "
        + "--role=agent; see --help)");
    return 2;
  }
}

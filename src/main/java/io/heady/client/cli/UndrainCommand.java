package io.heady.client.cli;

import picocli.CommandLine.Command;

/** {@code heady undrain NODE}: {@code heady drain NODE --off}, under the name people look for. */
@Command(name = "undrain", description = {"Put a drained node back in service (the same as drain NODE --off)."})
final class UndrainCommand extends DrainCommand {
  @Override
  public Integer call() {
    off = true;
    return super.call();
  }
}

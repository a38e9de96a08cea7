package io.heady.common.hardware;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs a short external command with a timeout; injectable so tests can fake nvidia-smi, docker and the
 * rest.
 *
 * <p>Implementations must be safe to call from several threads at once: probes run in parallel.
 */
public interface CommandProbe {

  /**
   * Runs {@code argv} (no shell) and returns its standard output.
   *
   * @return the standard output when the command started, exited with status 0 and did so within {@code
   *     timeout}; empty when it is missing, failed, or ran too long (it is then killed, with its children)
   */
  Optional<String> run(List<String> argv, Duration timeout);

  /** Whether {@code program} is an executable file in a directory of the {@code PATH}. */
  boolean onPath(String program);

  /** The real thing: processes and the {@code PATH} of this JVM. */
  static CommandProbe system() {
    return new SystemCommandProbe();
  }
}

package io.heady.common.hardware;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The external commands one detection needs, started together so that their timeouts overlap instead of
 * adding up: {@code uname -m}, the nvidia-smi query and banner, and {@code docker info}.
 */
final class ProbeRound {
  final CompletableFuture<Optional<String>> unameM;
  final CompletableFuture<Optional<String>> gpuQuery;
  final CompletableFuture<Optional<String>> smiSummary;
  final CompletableFuture<Optional<String>> dockerInfo;
  private final ProbeTimeouts timeouts;
  private final long startedNanos = System.nanoTime();

  private ProbeRound(CommandProbe commands, Executor pool, ProbeTimeouts timeouts) {
    this.timeouts = timeouts;
    unameM = start(pool, commands, "uname", List.of("uname", "-m"), timeouts.uname());
    gpuQuery = start(pool, commands, "nvidia-smi", NvidiaSmi.QUERY, timeouts.nvidiaSmi());
    smiSummary = start(pool, commands, "nvidia-smi", NvidiaSmi.SUMMARY, timeouts.nvidiaSmi());
    dockerInfo = start(pool, commands, "docker", List.of("docker", "info"), timeouts.docker());
  }

  static ProbeRound start(CommandProbe commands, Executor pool, ProbeTimeouts timeouts) {
    return new ProbeRound(commands, pool, timeouts);
  }

  /** The probe's output, or empty when it failed or is still running past its timeout plus grace. */
  Optional<String> await(CompletableFuture<Optional<String>> probe, Duration timeout) {
    long deadline = startedNanos + timeout.toNanos() + timeouts.grace().toNanos();
    try {
      return probe.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    }
  }

  Optional<String> unameM() {
    return await(unameM, timeouts.uname());
  }

  Optional<String> gpuQuery() {
    return await(gpuQuery, timeouts.nvidiaSmi());
  }

  Optional<String> smiSummary() {
    return await(smiSummary, timeouts.nvidiaSmi());
  }

  Optional<String> dockerInfo() {
    return await(dockerInfo, timeouts.docker());
  }

  private static CompletableFuture<Optional<String>> start(Executor pool, CommandProbe commands, String program,
      List<String> argv, Duration timeout) {
    Supplier<Optional<String>> probe = () -> {
      if (!commands.onPath(program)) {
        return Optional.empty();
      }
      Optional<String> out = commands.run(argv, timeout);
      return out == null ? Optional.empty() : out;
    };
    return CompletableFuture.supplyAsync(probe, pool);
  }
}

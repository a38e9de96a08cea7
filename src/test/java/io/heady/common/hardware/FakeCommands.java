package io.heady.common.hardware;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/** A scripted {@link CommandProbe}: programs on the PATH, canned outputs, and commands that hang. */
final class FakeCommands implements CommandProbe {
  private final Set<String> onPath;
  private final Map<String, String> outputs = new HashMap<>();
  private final Set<String> hanging = ConcurrentHashMap.newKeySet();
  /** Released by the test when done, so hung fake probes end. */
  final CountDownLatch release = new CountDownLatch(1);
  /** argv joined by spaces → the timeout it was run with. */
  final Map<String, Duration> ran = new ConcurrentHashMap<>();

  FakeCommands(String... programs) {
    this.onPath = Set.of(programs);
  }

  /** {@code argv} (joined by spaces) exits 0 printing {@code stdout}; anything not scripted fails. */
  FakeCommands answer(String argv, String stdout) {
    outputs.put(argv, stdout);
    return this;
  }

  /** {@code argv} never returns on its own, ignoring its timeout (the worst a real probe could do). */
  FakeCommands hang(String argv) {
    hanging.add(argv);
    return this;
  }

  @Override
  public Optional<String> run(List<String> argv, Duration timeout) {
    String key = String.join(" ", argv);
    ran.put(key, timeout);
    if (hanging.contains(key)) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Optional.empty();
    }
    return Optional.ofNullable(outputs.get(key));
  }

  @Override
  public boolean onPath(String program) {
    return onPath.contains(program);
  }
}

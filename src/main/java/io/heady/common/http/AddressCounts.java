package io.heady.common.http;

import java.util.concurrent.ConcurrentHashMap;

/** Open connections per client address, each address capped. Thread-safe; no Vert.x. */
final class AddressCounts {
  private final int max;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  AddressCounts(int max) {
    this.max = max;
  }

  /** Counts one more connection from {@code address}; false (and nothing counted) when it holds the most already. */
  boolean tryAcquire(String address) {
    boolean[] ok = {false};
    open.compute(address, (k, n) -> {
      int now = n == null ? 0 : n;
      if (now >= max) {
        return n;
      }
      ok[0] = true;
      return now + 1;
    });
    return ok[0];
  }

  /** One connection from {@code address} closed. */
  void release(String address) {
    open.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
  }

  int count(String address) {
    return open.getOrDefault(address, 0);
  }

  /** Addresses with at least one connection (for tests: nothing leaks). */
  int addresses() {
    return open.size();
  }
}

package io.heady.common.exec.contain;

import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.Limits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Confines each attempt in its own group in each cgroup v1 hierarchy heady uses, under the node's group there. */
final class Cgroup1Confiner implements Confiner {
  private final CgroupFs fs;
  private final Map<String, Path> parents;
  private final long ticksPerSecond;
  private final String note;

  /** @param parents controller to the node's group in that controller's hierarchy */
  Cgroup1Confiner(CgroupFs fs, Map<String, Path> parents, long ticksPerSecond, String note) {
    this.fs = fs;
    this.parents = Map.copyOf(parents);
    this.ticksPerSecond = ticksPerSecond;
    this.note = note;
  }

  Map<String, Path> parents() {
    return parents;
  }

  @Override
  public String method() {
    return Enforcement.CGROUP1;
  }

  @Override
  public String note() {
    return note;
  }

  @Override
  public Confined confine(String name, Limits limits, long timeoutMs, boolean sharedUser) throws IOException {
    return Cgroup1Group.create(fs, parents, name, limits, ticksPerSecond);
  }
}

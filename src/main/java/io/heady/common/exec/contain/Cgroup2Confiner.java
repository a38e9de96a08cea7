package io.heady.common.exec.contain;

import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.Limits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/** Confines each attempt in its own child of the node's task group in a delegated cgroup v2 tree. */
final class Cgroup2Confiner implements Confiner {
  private final CgroupFs fs;
  private final Path tasks;
  private final Set<String> controllers;
  private final String note;

  /**
   * @param tasks the group under which attempts get their groups (controllers already enabled for children)
   * @param controllers the controllers enabled for attempts ({@code memory}, {@code pids}, maybe {@code cpu},
   *     {@code io})
   */
  Cgroup2Confiner(CgroupFs fs, Path tasks, Set<String> controllers, String note) {
    this.fs = fs;
    this.tasks = tasks;
    this.controllers = Set.copyOf(controllers);
    this.note = note;
  }

  Path tasks() {
    return tasks;
  }

  @Override
  public String method() {
    return Enforcement.CGROUP2;
  }

  @Override
  public String note() {
    return note;
  }

  @Override
  public Confined confine(String name, Limits limits, long timeoutMs, boolean sharedUser) throws IOException {
    return Cgroup2Group.create(fs, tasks, name, limits, controllers);
  }
}

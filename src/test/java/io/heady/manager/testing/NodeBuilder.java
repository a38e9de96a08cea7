package io.heady.manager.testing;

import io.heady.common.protocol.Hardware;
import io.heady.common.protocol.Registration;
import io.heady.manager.node.NodeEvent;
import io.heady.manager.node.NodeRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds agent registrations (and node records) tersely: {@code node("ryzen").cores(16).ram(32).build()}. */
public final class NodeBuilder {
  private final String id;
  private String name;
  private int cores = 4;
  private double ramGb = 8;
  private String gpu;
  private String arch = "x86_64";
  private final List<String> caps = new ArrayList<>();
  private final Map<String, String> labels = new LinkedHashMap<>();
  private int slots;
  private String member;
  private final List<String> running = new ArrayList<>();
  private io.heady.common.protocol.Enforcement containment;

  private NodeBuilder(String id) {
    this.id = id;
    this.name = id;
  }

  public static NodeBuilder node(String id) {
    return new NodeBuilder(id);
  }

  public NodeBuilder name(String n) {
    this.name = n;
    return this;
  }

  public NodeBuilder cores(int c) {
    this.cores = c;
    return this;
  }

  public NodeBuilder ram(double gb) {
    this.ramGb = gb;
    return this;
  }

  public NodeBuilder gpu(String model) {
    this.gpu = model;
    return this;
  }

  public NodeBuilder arch(String a) {
    this.arch = a;
    return this;
  }

  public NodeBuilder caps(String... c) {
    caps.addAll(List.of(c));
    return this;
  }

  public NodeBuilder label(String k, String v) {
    labels.put(k, v);
    return this;
  }

  /** The operator's max_concurrent override (0: tier formula). */
  public NodeBuilder slots(int s) {
    this.slots = s;
    return this;
  }

  public NodeBuilder member(String m) {
    this.member = m;
    return this;
  }

  public NodeBuilder running(String... taskIds) {
    running.addAll(List.of(taskIds));
    return this;
  }

  /** What the node says of how it contains tasks. */
  public NodeBuilder containment(io.heady.common.protocol.Enforcement e) {
    this.containment = e;
    return this;
  }

  public Registration build() {
    Hardware hw = new Hardware("test cpu", cores, cores, ramGb, gpu, gpu == null ? 0 : 24, 500, "linux", arch);
    return new Registration(id, name, member == null ? "http" : "eventbus", null, hw, List.copyOf(caps),
        Map.copyOf(labels), slots, member, List.copyOf(running), "test", containment);
  }

  /** A physical node record that has registered and heartbeated: active. */
  public NodeRecord active(Instant now) {
    return record(NodeRecord.PHYSICAL, now);
  }

  /** The manager's own executor node (location cloud), active. */
  public NodeRecord activeCloud(Instant now) {
    return record(NodeRecord.CLOUD, now);
  }

  private NodeRecord record(String location, Instant now) {
    NodeRecord n = new NodeRecord(build(), location, now);
    n.apply(NodeEvent.REGISTERED, now);
    n.apply(NodeEvent.HEARTBEAT, now);
    return n;
  }
}

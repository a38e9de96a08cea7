package io.heady.agent;

import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.Hardware;
import io.heady.common.protocol.Refusal;
import io.heady.common.protocol.Registration;
import io.heady.common.protocol.SystemStats;
import java.util.List;
import java.util.Map;

/** What the agent's verticles share about this node. Thread-safe: each field is replaced whole. */
public final class AgentState {
  private final String nodeId;
  private final String name;
  private final String transport;
  private volatile String tunnelUrl;
  private final Map<String, String> labels;
  private final int requestedSlots;
  private volatile Hardware hardware;
  private volatile List<String> capabilities = List.of();
  private volatile SystemStats stats = SystemStats.EMPTY;
  private volatile String memberId;
  private volatile String tier = "unknown";
  private volatile String status = "starting";
  private volatile boolean registered;
  private volatile Enforcement containment;
  private volatile Refusal refusing;

  public AgentState(String nodeId, String name, String transport, String tunnelUrl, Map<String, String> labels,
      int requestedSlots) {
    this.nodeId = nodeId;
    this.name = name;
    this.transport = transport;
    this.tunnelUrl = tunnelUrl;
    this.labels = Map.copyOf(labels);
    this.requestedSlots = requestedSlots;
  }

  /** Where the manager reaches this node's API (once it listens). */
  public void tunnel(String url) {
    this.tunnelUrl = url;
  }

  /** The same node, reachable at a tunnel URL (HTTP transport). */
  public AgentState withTunnel(String url) {
    AgentState a = new AgentState(nodeId, name, transport, url, labels, requestedSlots);
    a.hardware = hardware;
    a.capabilities = capabilities;
    a.stats = stats;
    a.containment = containment;
    return a;
  }

  /** How this node contains its tasks, reported when it registers. */
  public void containment(Enforcement e) {
    this.containment = e;
  }

  public Enforcement containment() {
    return containment;
  }

  public Registration registration(List<String> running) {
    return new Registration(nodeId, name, transport, tunnelUrl, hardware, capabilities, labels, requestedSlots,
        memberId, running, io.heady.common.Version.VERSION, containment);
  }

  public String nodeId() {
    return nodeId;
  }

  public String name() {
    return name;
  }

  public String transport() {
    return transport;
  }

  public Map<String, String> labels() {
    return labels;
  }

  public Hardware hardware() {
    return hardware;
  }

  public void hardware(Hardware h, List<String> caps) {
    this.hardware = h;
    this.capabilities = List.copyOf(caps);
  }

  public List<String> capabilities() {
    return capabilities;
  }

  public SystemStats stats() {
    return stats;
  }

  public void stats(SystemStats s) {
    this.stats = s;
  }

  public void memberId(String id) {
    this.memberId = id;
  }

  public String tier() {
    return tier;
  }

  public String status() {
    return status;
  }

  public void registered(String tier, String status) {
    this.tier = tier;
    this.status = status;
    this.registered = true;
  }

  public void unregistered(String why) {
    this.registered = false;
    this.status = why;
  }

  /** Why this node takes no new work for now ({@code null}: it takes work), as its heartbeat says. */
  public Refusal refusing() {
    return refusing;
  }

  /** Sets {@link #refusing()}; returns whether it changed. */
  public synchronized boolean refusing(Refusal r) {
    boolean changed = !java.util.Objects.equals(refusing, r);
    refusing = r;
    return changed;
  }

  public boolean isRegistered() {
    return registered;
  }
}

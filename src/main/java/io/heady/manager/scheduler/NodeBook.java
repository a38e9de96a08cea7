package io.heady.manager.scheduler;

import io.heady.manager.node.NodeRecord;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The nodes, by id, with lookups by name and by cluster member id. */
public final class NodeBook {
  private final Map<String, NodeRecord> byId = new LinkedHashMap<>();
  private final Map<String, String> byMember = new HashMap<>();
  private List<NodeRecord> list; // the nodes in registration order, rebuilt after a change

  public NodeRecord get(String id) {
    return byId.get(id);
  }

  /** By id, else by name (first registered wins when names repeat). */
  public NodeRecord find(String idOrName) {
    NodeRecord n = byId.get(idOrName);
    if (n != null) {
      return n;
    }
    for (NodeRecord r : byId.values()) {
      if (r.name().equals(idOrName)) {
        return r;
      }
    }
    return null;
  }

  public NodeRecord byMember(String memberId) {
    String id = byMember.get(memberId);
    return id == null ? null : byId.get(id);
  }

  public void put(NodeRecord n) {
    list = null;
    NodeRecord old = byId.put(n.nodeId(), n);
    if (old != null && old.memberId() != null) {
      byMember.remove(old.memberId());
    }
    reindex(n);
  }

  /** After a re-registration the member id may have changed. */
  public void reindex(NodeRecord n) {
    byMember.values().remove(n.nodeId());
    if (n.memberId() != null) {
      byMember.put(n.memberId(), n.nodeId());
    }
  }

  public NodeRecord remove(String id) {
    NodeRecord n = byId.remove(id);
    list = null;
    if (n != null) {
      byMember.values().remove(id);
    }
    return n;
  }

  public Collection<NodeRecord> all() {
    return Collections.unmodifiableCollection(byId.values());
  }

  /** The nodes in registration order, as a list that is not copied for every placement. */
  public List<NodeRecord> list() {
    if (list == null) {
      list = List.copyOf(byId.values());
    }
    return list;
  }

  public int size() {
    return byId.size();
  }

  /** Free slots across schedulable nodes; zero means a dispatch pass can stop at once. */
  public int freeSlots() {
    int n = 0;
    for (NodeRecord r : byId.values()) {
      if (r.status().schedulable() && !r.drain()) {
        n += r.free();
      }
    }
    return n;
  }

  /**
   * Dispatches a pass may make: free slots and free prefetch places ({@link NodeRecord#room()}) on schedulable
   * nodes, plus one per quarantined node on probation.
   */
  public int slotsForPass() {
    int n = 0;
    for (NodeRecord r : byId.values()) {
      if (r.status().schedulable() && !r.drain()) {
        n += r.room();
      } else if (io.heady.manager.node.NodeLiveness.onProbation(r)) {
        n++;
      }
    }
    return n;
  }
}

package io.heady.manager.node;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * The one rule for a node named by a person or a program (the CLI's {@code drain}, {@code nodes X}, the API's
 * {@code /api/cluster/nodes/:id} routes, the task list's {@code node} filter, a task's pin): an exact node id
 * wins; else the one node with that name; a name that several nodes share names none of them, and the error
 * lists their ids so the caller can pick one.
 */
public final class NodeResolver {
  /**
   * What a reference names.
   *
   * @param nodeId the node's id, or {@code null} when it names none or is ambiguous
   * @param sameName when ambiguous, the ids of every node of that name (sorted); else empty
   */
  public record Resolution(String ref, String nodeId, List<String> sameName) {
    public boolean found() {
      return nodeId != null;
    }

    public boolean ambiguous() {
      return !sameName.isEmpty();
    }

    /** Why this names no node, in a sentence, or {@code null} when it names one. */
    public String problem() {
      if (found()) {
        return null;
      }
      return ambiguous()
          ? "the name '" + ref + "' is shared by " + sameName.size() + " nodes (" + String.join(", ", sameName)
              + "); name one by its id"
          : "no node has the id or name '" + ref + "'";
    }

    /**
     * The node's id, or the API's error: 404 {@code UNKNOWN_NODE} when none has that id or name, 409
     * {@code AMBIGUOUS_NODE} (with {@code details.node_ids}) when several share the name.
     */
    public String orThrow() {
      if (found()) {
        return nodeId;
      }
      if (ambiguous()) {
        throw new ApiException(ErrorCode.AMBIGUOUS_NODE, problem(), new JsonObject().put("name", ref)
            .put("node_ids", new JsonArray(new ArrayList<>(sameName))));
      }
      throw new ApiException(ErrorCode.UNKNOWN_NODE, problem(), new JsonObject().put("node_id", ref));
    }
  }

  private NodeResolver() {}

  /** Resolves {@code ref} among the node records. */
  public static Resolution resolve(String ref, Collection<NodeRecord> nodes) {
    return resolve(ref, nodes, NodeRecord::nodeId, NodeRecord::name);
  }

  /** Resolves {@code ref} among node documents ({@code node_id}, {@code name}). */
  public static Resolution resolveDocs(String ref, Collection<JsonObject> nodes) {
    return resolve(ref, nodes, d -> d.getString("node_id"), d -> d.getString("name"));
  }

  /** Resolves {@code ref} among any nodes, given how to read each one's id and name. */
  public static <T> Resolution resolve(String ref, Collection<T> nodes, Function<T, String> id,
      Function<T, String> name) {
    List<String> named = new ArrayList<>();
    for (T n : nodes) {
      String nid = id.apply(n);
      if (ref.equals(nid)) {
        return new Resolution(ref, nid, List.of());
      }
      if (ref.equals(name.apply(n)) && nid != null && !named.contains(nid)) {
        named.add(nid);
      }
    }
    if (named.size() == 1) {
      return new Resolution(ref, named.get(0), List.of());
    }
    named.sort(null);
    return new Resolution(ref, null, List.copyOf(named));
  }
}

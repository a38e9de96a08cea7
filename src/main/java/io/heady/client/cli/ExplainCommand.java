package io.heady.client.cli;

import io.heady.client.ApiPaths;
import io.heady.client.HeadyException;
import io.heady.common.protocol.Fields;
import io.heady.common.protocol.Priority;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code heady explain TASK_ID|TYPE}: why a task went where it went, or why it waits (its requirements weighed
 * now against every node), or where a type could go and why not.
 */
@Command(name = "explain", description = {"Why a task went where it did or why it waits, or where a task type"
    + " could go.", "Per node: the placement checks that fail, or the score and its parts."})
final class ExplainCommand extends SubCommand {
  private static final String TYPE = "[a-z0-9_.-]{1,64}";

  @Parameters(index = "0", paramLabel = "TASK_ID|TYPE")
  String what;

  @Option(names = "--priority", paramLabel = "P0..P3", description = "for a type: explain at this priority")
  Priority priority;

  @Override
  public Integer call() {
    if (Fields.ID.matcher(what).matches()) {
      JsonObject explained = orNull(ApiPaths.taskExplain(what));
      if (explained != null) {
        print(explained, ExplainView.task(explained));
        return ExitCodes.OK;
      }
      // why: a task the manager no longer holds (finished long ago) is only in the store: its recorded placement
      JsonObject stored = orNull(ApiPaths.task(what));
      if (stored != null) {
        print(stored, ExplainView.stored(stored));
        return ExitCodes.OK;
      }
    }
    if (!what.matches(TYPE)) {
      throw new HeadyException(404, "UNKNOWN_TASK", "no task " + what + " (and it cannot be a task type: types "
          + "match " + TYPE + ")");
    }
    JsonObject can = client().get(ApiPaths.canHandle(what, priority == null ? null : priority.name()));
    if (!can.getBoolean("known_type", true) && what.startsWith("t-")) {
      throw new HeadyException(404, "UNKNOWN_TASK", "no task " + what + " (and no task type of that name)");
    }
    print(can, type(can));
    return ExitCodes.OK;
  }

  private JsonObject orNull(String path) {
    try {
      return client().get(path);
    } catch (HeadyException e) {
      if (e.notFound()) {
        return null;
      }
      throw e;
    }
  }

  private void print(JsonObject doc, String text) {
    if (json()) {
      top.printJson(doc);
    } else {
      top.print(text);
    }
  }

  /** A type's routing policy in words: location, minimums, required and preferred capabilities, timeout. */
  static String policy(JsonObject r) {
    java.util.StringJoiner sj = new java.util.StringJoiner(", ");
    if (r.getString("location") != null) {
      sj.add(r.getString("location"));
    }
    if (r.getValue("min_cores") instanceof Number n && n.doubleValue() > 0) {
      sj.add("at least " + Render.number(n) + " cores");
    }
    if (r.getValue("min_ram_gb") instanceof Number n && n.doubleValue() > 0) {
      sj.add("at least " + Render.gb(n.doubleValue()) + " RAM");
    }
    if (r.getValue("require") instanceof JsonArray a && !a.isEmpty()) {
      sj.add("requires " + String.join(" ", a.stream().map(String::valueOf).toList()));
    }
    if (r.getValue("prefer") instanceof JsonArray a && !a.isEmpty()) {
      sj.add("prefers " + String.join(" ", a.stream().map(String::valueOf).toList()));
    }
    if (r.getValue("timeout_ms") instanceof Number n && n.longValue() > 0) {
      sj.add("timeout " + Durations.format(n.longValue()));
    }
    return sj.toString();
  }

  static String type(JsonObject can) {
    StringBuilder sb = new StringBuilder("type ").append(can.getString("type"));
    if (!can.getBoolean("known_type", true)) {
      sb.append(" (not in the policy: the general entry applies)");
    }
    JsonArray eligible = can.getValue("eligible_nodes") instanceof JsonArray a ? a : new JsonArray();
    if (can.getBoolean("can_handle", false)) {
      sb.append(": ").append(eligible.size()).append(eligible.size() == 1 ? " node" : " nodes").append(" can run it");
      if (can.getValue("best_node") instanceof JsonObject b) {
        sb.append("; best now ").append(b.getString("name", b.getString("node_id"))).append(" (score ")
            .append(Render.number(b.getValue("score"))).append(')');
      } else {
        sb.append("; none has a free slot now");
      }
    } else {
      sb.append(": no node can run it");
    }
    sb.append('\n');
    if (can.getString("summary") != null) {
      Render.field(sb, "now", can.getString("summary"));
    }
    if (can.getValue("requirements") instanceof JsonObject r) {
      Render.field(sb, "policy", policy(r));
    }
    if (can.getValue("explain") instanceof JsonArray e) {
      sb.append(Render.explain(e));
    }
    return sb.toString();
  }
}

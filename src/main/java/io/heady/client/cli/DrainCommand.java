package io.heady.client.cli;

import io.heady.client.ApiPaths;
import io.heady.client.NodeInfo;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code heady drain NODE [--off]}. */
@Command(name = "drain", description = {"Drain a node, or (--off) put it back in service.",
    "A draining node takes no new tasks; the running ones finish."})
class DrainCommand extends SubCommand {
  @Parameters(index = "0", paramLabel = "NODE", description = "node id or name (an id wins; a name must be unique)")
  String node;

  @Option(names = "--off", description = "stop draining: the node takes tasks again")
  boolean off;

  @Override
  public Integer call() {
    JsonObject n = client().post(ApiPaths.drain(node), new JsonObject().put("enabled", !off));
    if (json()) {
      top.printJson(n);
      return ExitCodes.OK;
    }
    NodeInfo i = NodeInfo.fromJson(n);
    top.print(off
        ? "node " + label(i) + " takes tasks again (status " + i.status() + ")\n"
        : "node " + label(i) + " is draining: no new tasks; " + i.running() + " running will finish\n");
    return ExitCodes.OK;
  }

  /** {@code name (id)}, or the id alone when the node's name is its id. */
  static String label(NodeInfo i) {
    return i.name() == null || i.name().equals(i.nodeId()) ? i.nodeId() : i.name() + " (" + i.nodeId() + ")";
  }
}

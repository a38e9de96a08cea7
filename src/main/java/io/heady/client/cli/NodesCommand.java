package io.heady.client.cli;

import io.heady.client.ApiPaths;
import io.heady.client.NodeInfo;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code heady nodes [NODE]}: the node table, or one node's record. */
@Command(name = "nodes", description = "List the nodes (tier, status, slots, reliability, load), or show one.",
    subcommands = {NodesReinstateCommand.class, NodesApproveCommand.class, NodesRevokeCommand.class})
final class NodesCommand extends SubCommand {
  @Parameters(arity = "0..1", paramLabel = "NODE",
      description = "show only this node: its id or name (an id wins; a name must be unique)")
  String node;

  @Override
  public Integer call() {
    if (node != null) {
      JsonObject n = client().get(ApiPaths.node(node));
      if (json()) {
        top.printJson(n);
      } else {
        top.print(Render.node(NodeInfo.fromJson(n)));
      }
      return ExitCodes.OK;
    }
    JsonObject all = client().get(ApiPaths.NODES);
    if (json()) {
      top.printJson(all);
    } else {
      top.print(Render.nodes(NodeInfo.listFromJson(all)));
    }
    return ExitCodes.OK;
  }
}

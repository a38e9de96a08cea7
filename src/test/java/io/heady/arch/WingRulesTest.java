package io.heady.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WingRules} against a tiny source tree of its own: it finds each kind of crossing and nothing else. */
class WingRulesTest {
  @TempDir
  Path root;

  private void source(String path, String... lines) throws IOException {
    Path p = root.resolve("io/heady").resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, String.join("\n", lines) + "\n");
  }

  private List<String> scan() throws IOException {
    Path heady = root.resolve("io/heady");
    return WingRules.scan(root).stream().map(c -> heady.relativize(c.file()) + ":" + c.line() + " " + c.named())
        .toList();
  }

  @Test
  void aCleanTreeHasNoCrossing() throws IOException {
    source("Main.java", "package io.heady;", "import io.heady.manager.ManagerMain;",
        "import io.heady.agent.AgentMain;");
    source("manager/ManagerMain.java", "package io.heady.manager;", "import io.heady.common.protocol.Dispatch;",
        "import io.heady.manager.store.ClusterStore;", "/** Never imports {@code io.heady.agent}. */",
        "final class ManagerMain { String url = \"http://x\"; // io.heady.agent.AgentMain", "}");
    source("agent/AgentMain.java", "package io.heady.agent;", "import static io.heady.common.Version.VERSION;",
        "/* io.heady.manager.ManagerMain", "   io.heady.client.Cli */ final class AgentMain {}");
    source("common/Version.java", "package io.heady.common;", "final class Version { char q = '\"'; }");
    source("client/Cli.java", "package io.heady.client;", "final class Cli { io.heady.common.Version v; }");
    assertEquals(List.of(), scan());
  }

  @Test
  void eachForbiddenDirectionIsNamedWithItsFileAndLine() throws IOException {
    source("manager/A.java", "package io.heady.manager;", "", "import io.heady.agent.AgentState;");
    source("agent/B.java", "package io.heady.agent;", "class B { Object s = new io.heady.manager.task.TaskRecord(); }");
    source("client/C.java", "package io.heady.client;", "import static io.heady.manager.Thing.*;",
        "import io.heady.agent.*;");
    source("common/D.java", "package io.heady.common;", "class D {",
        "  Class<?> c = Class.forName(\"io.heady.client.cli.Cli\");", "  io.heady.manager.X x; io.heady.agent.Y y;",
        "}");
    assertEquals(List.of(
        "agent/B.java:2 io.heady.manager.task.TaskRecord",
        "client/C.java:2 io.heady.manager.Thing.*",
        "client/C.java:3 io.heady.agent.*",
        "common/D.java:3 io.heady.client.cli.Cli",
        "common/D.java:4 io.heady.manager.X",
        "common/D.java:4 io.heady.agent.Y",
        "manager/A.java:3 io.heady.agent.AgentState"), scan());
  }

  @Test
  void theMessageSaysWhatIsWrong() throws IOException {
    source("common/D.java", "package io.heady.common;", "import io.heady.manager.store.ClusterStore;");
    String m = WingRules.scan(root).get(0).toString();
    assertTrue(m.contains("D.java:2: common names io.heady.manager.store.ClusterStore"), m);
    assertTrue(m.contains("common may name only itself"), m);
  }

  @Test
  void aCommentDoesNotHideCodeAfterIt() throws IOException {
    source("agent/E.java", "package io.heady.agent;", "class E { /* fine */ io.heady.manager.M m; }",
        "class F { String s = \"/* not a comment\"; io.heady.client.K k; }",
        "class G { String t = \"\"\"", "  // io.heady.manager.InText", "  \"\"\"; }");
    assertEquals(List.of("agent/E.java:2 io.heady.manager.M", "agent/E.java:3 io.heady.client.K",
        "agent/E.java:5 io.heady.manager.InText"), scan());
  }

  @Test
  void aPackageWithoutARuleIsReported() throws IOException {
    source("gateway/G.java", "package io.heady.gateway;", "import io.heady.common.X;");
    List<WingRules.Crossing> c = WingRules.scan(root);
    assertEquals(1, c.size());
    assertTrue(c.get(0).toString().contains("io.heady.gateway is not a wing"), c.get(0).toString());
  }

  @Test
  void aTreeWithoutHeadyIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WingRules.scan(root));
    assertTrue(e.getMessage().contains("no io/heady"), e.getMessage());
  }

  @Test
  void commentsBecomeSpacesAndLinesStay() {
    String src = "a // b\n/* c\nd */ e \"// f\" '\\'' g";
    String out = JavaText.withoutComments(src);
    assertEquals("a     \n    \n     e \"// f\" '\\'' g", out);
  }
}

package io.heady.common.exec.contain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.config.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TaskUserTest {
  private static final Map<String, UserEntry> ACCOUNTS = Map.of(
      "root", new UserEntry("root", 0, 0, "/root"),
      "heady-task", new UserEntry("heady-task", 998, 998, "/nonexistent"),
      "builder", new UserEntry("builder", 1001, 1001, "/home/builder"),
      "alice", new UserEntry("alice", 1000, 1000, "/home/alice"));
  private static final Function<String, UserEntry> LOOKUP = ACCOUNTS::get;

  @Test
  void rootRunsTasksAsHeadyTaskByDefault() {
    TaskUser u = TaskUser.configure(true, "root", "", List.of(), LOOKUP);
    assertEquals("heady-task", u.name());
    TaskUser.Choice c = u.choose(null);
    assertTrue(c.switches());
    assertEquals(998, c.entry().uid());
    assertNull(u.note());
    assertEquals(c, u.choose("heady-task"), "asking for the default user needs no allow-list");
  }

  @Test
  void rootRefusesToStartWhenTheTaskUserIsMissingRatherThanRunTasksAsRoot() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> TaskUser.configure(true, "root", "", List.of(), n -> null));
    assertTrue(e.getMessage().contains("heady-task") && e.getMessage().contains("useradd")
        && e.getMessage().contains("--run-as USER") && e.getMessage().contains("--run-as root"), e.getMessage());
    ConfigException named = assertThrows(ConfigException.class,
        () -> TaskUser.configure(true, "root", "bob", List.of(), LOOKUP));
    assertTrue(named.getMessage().startsWith("--run-as bob: no user 'bob'"), named.getMessage());
  }

  @Test
  void runAsRootIsAnExplicitChoiceThatSaysWhatItMeans() {
    TaskUser u = TaskUser.configure(true, "root", "root", List.of(), LOOKUP);
    assertEquals("root", u.name());
    assertTrue(!u.choose(null).switches());
    assertTrue(u.note().contains("tasks run as root"), u.note());
  }

  @Test
  void aTaskMayAskOnlyForUsersOnTheAllowList() {
    TaskUser u = TaskUser.configure(true, "root", "", List.of("builder,alice"), LOOKUP);
    TaskUser.Choice b = u.choose("builder");
    assertNull(b.error());
    assertEquals(1001, b.entry().uid());
    TaskUser.Choice root = u.choose("root");
    assertTrue(root.error().contains("--task-users") && root.error().contains("here: builder,alice"), root.error());
    TaskUser none = TaskUser.configure(true, "root", "", List.of(), LOOKUP);
    assertTrue(none.choose("builder").error().contains("here: none"), none.choose("builder").error());
    ConfigException missing = assertThrows(ConfigException.class,
        () -> TaskUser.configure(true, "root", "", List.of("ghost"), LOOKUP));
    assertEquals("--task-users: no user 'ghost' on this machine", missing.getMessage());
    assertThrows(ConfigException.class, () -> TaskUser.configure(true, "root", "", List.of("Bad Name"), LOOKUP));
  }

  @Test
  void aNodeThatIsNotRootRunsTasksAsItselfAndSaysSo() {
    TaskUser u = TaskUser.configure(false, "alice", "", List.of(), LOOKUP);
    assertEquals("alice", u.name());
    assertTrue(!u.choose(null).switches());
    assertTrue(u.note().contains("not root") && u.note().contains("data dir"), u.note());
    assertEquals("alice", TaskUser.configure(false, "alice", "alice", List.of("alice"), LOOKUP).name());
    ConfigException other = assertThrows(ConfigException.class,
        () -> TaskUser.configure(false, "alice", "heady-task", List.of(), LOOKUP));
    assertTrue(other.getMessage().startsWith("--run-as heady-task: this node runs as alice, not root"),
        other.getMessage());
    ConfigException list = assertThrows(ConfigException.class,
        () -> TaskUser.configure(false, "alice", "", List.of("builder"), LOOKUP));
    assertTrue(list.getMessage().startsWith("--task-users builder"), list.getMessage());
  }

  @Test
  void passwdLinesParse() {
    assertEquals(new UserEntry("heady-task", 998, 997, "/var/lib/heady-task"),
        UserEntry.parse("heady-task:x:998:997:heady tasks:/var/lib/heady-task:/usr/sbin/nologin"));
    assertNull(UserEntry.parse("broken:x:notanumber:1::/:/bin/sh"));
    assertNull(UserEntry.parse("short:x:1"));
  }
}

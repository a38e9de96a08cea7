package io.heady.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void columnsAlignTwoSpacesApartWithoutTrailingBlanks() {
    String t = new Table("NODE", "STATUS", "REL").row("mac-mini", "active", 100).row("rpi", null, 7).render();
    assertEquals(""
        + "NODE      STATUS  REL\n"
        + "mac-mini  active  100\n"
        + "rpi       -       7\n", t);
  }

  @Test
  void rightAlignedColumnsLineUpTheirEnds() {
    String t = new Table("TASK", "EXIT").right(1).row("t-1", 0).row("t-2", 124).render();
    assertEquals(""
        + "TASK  EXIT\n"
        + "t-1      0\n"
        + "t-2    124\n", t);
  }

  @Test
  void cellsStayOnOneLine() {
    String t = new Table("A", "B").row("x\ny", "tab\there").render();
    assertEquals("A    B\nx y  tab here\n", t);
  }

  @Test
  void aColumnCanBeDropped() {
    String t = new Table("A", "B", "C").right(2).row("1", "2", "33").row("4", "5", "6").withoutColumn(1).render();
    assertEquals("A   C\n1  33\n4   6\n", t);
  }

  @Test
  void wideCharactersCountOnce() {
    String t = new Table("NAME", "X").row("héllo…", "1").row("ab", "2").render();
    assertEquals("NAME    X\nhéllo…  1\nab      2\n", t);
  }

  @Test
  void aRowMustFillTheColumns() {
    assertThrows(IllegalArgumentException.class, () -> new Table("A", "B").row("only one"));
  }

  @Test
  void cutEndsWithAnEllipsis() {
    assertEquals("abc", Table.cut("abc", 5));
    assertEquals("abcd…", Table.cut("abcdefgh", 5));
    assertEquals("a b", Table.cut("a\nb", 5));
  }
}

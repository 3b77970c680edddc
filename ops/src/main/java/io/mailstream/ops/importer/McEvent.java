package io.mailstream.ops.importer;

import java.util.List;

/** What {@link McReader} finds in a sendmail.mc: macro calls and the text m4 copies to sendmail.cf. */
sealed interface McEvent permits McEvent.Call, McEvent.Text {

  /** The line the event starts on, counting from 1. */
  int line();

  /**
   * A macro call such as {@code FEATURE(`mailertable')}.
   *
   * @param name the macro name
   * @param args the arguments with m4's outer quotes removed and leading unquoted blanks skipped
   * @param afterHash whether the line had {@code #} before the call: no comment once sendmail's
   *     cf.m4 has run {@code changecom()}, though many readers take it for one (seed 002)
   * @param via for a call made by a cf file the .mc includes, that include ({@code
   *     DOMAIN(generic)}); null for the .mc's own calls
   */
  record Call(String name, List<String> args, int line, boolean afterHash, String via) implements McEvent {
    public Call {
      args = List.copyOf(args);
    }

    public Call(String name, List<String> args, int line, boolean afterHash) {
      this(name, args, line, afterHash, null);
    }

    /** Argument {@code i}, stripped, or the empty string when it is absent. */
    public String arg(int i) {
      return i < args.size() ? args.get(i).strip() : "";
    }
  }

  /**
   * A line of plain text that m4 copies into sendmail.cf (it is not in a discarded diversion and
   * is not a {@code #} comment line of sendmail.cf).
   */
  record Text(String text, int line) implements McEvent {}
}

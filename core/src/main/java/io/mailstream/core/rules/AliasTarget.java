package io.mailstream.core.rules;

import io.mailstream.core.address.MailAddress;
import java.util.Objects;

/** One final recipient of an alias expansion: nothing in it is aliased further. */
public sealed interface AliasTarget
    permits AliasTarget.LocalUser, AliasTarget.Address, AliasTarget.Program, AliasTarget.File {

  /**
   * A local mailbox: a name that is not an alias, a name written <code>&#92;user</code> (the backslash stops
   * aliasing), or an alias that lists itself ("self: self, other" delivers to the mailbox self).
   */
  record LocalUser(String user) implements AliasTarget {
    public LocalUser {
      Objects.requireNonNull(user, "user");
    }

    @Override
    public String toString() {
      return "local:" + user;
    }
  }

  /** An address with a domain that is not local; it is routed like any recipient. */
  record Address(MailAddress address) implements AliasTarget {
    public Address {
      Objects.requireNonNull(address, "address");
    }

    @Override
    public String toString() {
      return address.toString();
    }
  }

  /** {@code |command}: pipe the message to a program. Only when programs are allowed. */
  record Program(String command) implements AliasTarget {
    public Program {
      Objects.requireNonNull(command, "command");
    }

    @Override
    public String toString() {
      return "|" + command;
    }
  }

  /** {@code /path}: append the message to a file. Only when files are allowed. */
  record File(String path) implements AliasTarget {
    public File {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
      return path;
    }
  }
}

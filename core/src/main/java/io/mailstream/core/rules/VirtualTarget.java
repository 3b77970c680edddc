package io.mailstream.core.rules;

import io.mailstream.core.address.MailAddress;
import java.util.Objects;

/**
 * Where a virtusertable entry sends a recipient: to a local name (which aliases may expand), to
 * another address (which is routed again from the start, and may hit the virtusertable again), or
 * nowhere ({@link ErrorReply}).
 */
public sealed interface VirtualTarget permits VirtualTarget.Local, VirtualTarget.Forward, ErrorReply {

  /** A value without {@code @}: a local user or alias, such as {@code foo-info}. */
  record Local(String user) implements VirtualTarget {
    public Local {
      Objects.requireNonNull(user, "user");
    }

    @Override
    public String toString() {
      return user;
    }
  }

  /** A value with a domain, such as {@code jane@example.net}. */
  record Forward(MailAddress address) implements VirtualTarget {
    public Forward {
      Objects.requireNonNull(address, "address");
    }

    @Override
    public String toString() {
      return address.toString();
    }
  }
}

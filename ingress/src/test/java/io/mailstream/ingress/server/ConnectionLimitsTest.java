package io.mailstream.ingress.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.SmtpSettings;
import io.mailstream.ingress.testing.TestConfig;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The counting behind the limits, with a clock the test moves. */
class ConnectionLimitsTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final ConnectionLimits limits = new ConnectionLimits(now::get);

  private static SmtpSettings smtp(String... entries) {
    return TestConfig.withSmtp(TestConfig.standard(), List.of(entries)).smtp();
  }

  @Test
  void theRateWindowIsSixtySeconds() throws Exception {
    SmtpSettings s = smtp("connection-rate-throttle 2");
    InetAddress a = InetAddress.getByName("192.0.2.1");
    limits.admit(a, s, "mx.test").ticket().close();
    now.addAndGet(30_000_000_000L);
    limits.admit(a, s, "mx.test").ticket().close();
    ConnectionLimits.Decision third = limits.admit(a, s, "mx.test");
    assertFalse(third.admitted());
    assertEquals(421, third.refusal().code());
    assertTrue(third.refusal().closesConnection());
    // 31 s later the first attempt has left the window, but the refused one has not.
    now.addAndGet(31_000_000_000L);
    assertFalse(limits.admit(a, s, "mx.test").admitted());
    now.addAndGet(61_000_000_000L);
    assertTrue(limits.admit(a, s, "mx.test").admitted());
  }

  @Test
  void closedConnectionsAreForgottenSoMemoryStaysBounded() throws Exception {
    SmtpSettings s = smtp("max-connections-per-ip 1", "max-connections 10000");
    List<ConnectionLimits.Ticket> tickets = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      tickets.add(limits.admit(InetAddress.getByName("10.0." + (i / 250) + "." + (i % 250)), s, "h").ticket());
    }
    assertEquals(5000, limits.open());
    tickets.forEach(ConnectionLimits.Ticket::close);
    tickets.forEach(ConnectionLimits.Ticket::close); // twice is once
    assertEquals(0, limits.open());
    assertEquals(0, limits.tracked());
  }

  @Test
  void perAddressCountsOnlyThatAddress() throws Exception {
    SmtpSettings s = smtp("max-connections-per-ip 1", "max-connections 2");
    InetAddress a = InetAddress.getByName("192.0.2.1");
    InetAddress b = InetAddress.getByName("192.0.2.2");
    ConnectionLimits.Ticket first = limits.admit(a, s, "h").ticket();
    assertEquals("421 4.3.2 h Too many open connections.", limits.admit(a, s, "h").refusal().toWire().strip());
    ConnectionLimits.Ticket other = limits.admit(b, s, "h").ticket();
    assertEquals(
        "421 4.3.2 h Too many connections, try again later",
        limits.admit(InetAddress.getByName("192.0.2.3"), s, "h").refusal().toWire().strip());
    first.close();
    assertTrue(limits.admit(a, s, "h").admitted());
    other.close();
  }
}

package io.mailstream.delivery.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.event.Destination;
import java.util.List;
import org.junit.jupiter.api.Test;

class DestinationSharesTest {
  private static final Destination DEAD = new Destination("relay", "dead.test", 25, false);
  private static final Destination LIVE = new Destination("relay", "live.test", 25, false);

  @Test
  void aDestinationTakesNoMoreThanItsShareAndTheRestWaitsInOrder() {
    DestinationShares<String> shares = new DestinationShares<>(2);
    assertTrue(shares.take(DEAD));
    assertTrue(shares.take(DEAD));
    assertFalse(shares.take(DEAD), "the share is used up");
    shares.await(DEAD, "d3");
    shares.await(DEAD, "d4");
    assertTrue(shares.take(LIVE), "another destination still starts");
    assertEquals(2, shares.waiting());
    assertEquals(List.of(), shares.ready(10), "nothing of the full destination is ready");

    shares.release(DEAD);
    assertFalse(shares.take(DEAD), "a newcomer does not overtake what waits");
    assertEquals(List.of("d3"), shares.ready(10));
    assertEquals(2, shares.inFlight(DEAD));
    shares.release(DEAD);
    shares.release(DEAD);
    assertEquals(List.of("d4"), shares.ready(10));
    assertEquals(0, shares.waiting());
    assertEquals(1, shares.inFlight(DEAD));
    assertTrue(shares.take(DEAD), "nothing waits any more: the next one starts at once");
  }

  @Test
  void readyIsBoundedByWhatTheBudgetAllows() {
    DestinationShares<String> shares = new DestinationShares<>(1);
    shares.take(DEAD);
    shares.take(LIVE);
    shares.await(DEAD, "d2");
    shares.await(LIVE, "l2");
    shares.release(DEAD);
    shares.release(LIVE);
    assertEquals(List.of(), shares.ready(0));
    assertEquals(List.of("d2"), shares.ready(1), "the destination that waited first goes first");
    assertEquals(List.of("l2"), shares.ready(5));
  }

  @Test
  void forgottenItemsLeaveTheCount() {
    DestinationShares<String> shares = new DestinationShares<>(1);
    shares.take(DEAD);
    shares.await(DEAD, "p0-a");
    shares.await(DEAD, "p1-b");
    shares.await(LIVE, "p0-c");
    shares.forget(s -> s.startsWith("p0"));
    assertEquals(1, shares.waiting());
    shares.release(DEAD);
    assertEquals(List.of("p1-b"), shares.ready(5));
  }

  @Test
  void aShareOfNothingIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new DestinationShares<String>(0));
  }
}

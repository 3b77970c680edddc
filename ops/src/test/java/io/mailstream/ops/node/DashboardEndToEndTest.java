package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.delivery.testkit.FakeSmartHost;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * driven by Selenium) against a running node holding deferred mail at two destinations and a held
 * message: the figures the page shows equal {@code mailq --json}'s, {@code /metrics}' and {@code GET
 * /dead-letters}'; a message is held and released from the page, through the confirmation and a
 * wrong and then the right token, asked once; a bounced message is replayed from the page after
 * its dry run is confirmed. Screenshots are left at {@code target/dashboard.png} (a message held
 * from the page) and {@code target/dashboard-released.png}. Without the browser the test skips,
 * and fails under CI ({@code MAILSTREAM_CI}).
 */
class DashboardEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(40);

  @TempDir Path dir;

  @Test
  void showsTheQueueAndHoldsAndReleasesFromThePage() throws Exception {
    browserHere();
    try (FakeSmartHost smartHost = FakeSmartHost.start(); FakeSmartHost other = FakeSmartHost.start()) {
      smartHost.onRcpt("nobody@corp.example", "550 5.1.1 <nobody@corp.example>... User unknown");
      for (String r : new String[] {"later@slow.example", "hold@slow.example", "kept@slow.example"}) {
        smartHost.onRcpt(r, "451 4.7.1 Try again later");
      }
      other.onRcpt("far@other.example", "451 4.2.0 Mailbox busy");
      Files.writeString(dir.resolve("mailertable"), "other.example\tesmtp:[127.0.0.1]\n");
      ConfigBuilder b = QueueTestNodes.config(dir.resolve("data"), smartHost, "dashboard-" + UUID.randomUUID(), 1, "1h");
      b.routing().map("mailertable", dir.resolve("mailertable"));
      b.routing().mailerPort("esmtp", other.port());
      try (MailstreamNode node = MailstreamNode.start(b.build(), EnumSet.allOf(Stage.class))) {
        String data = dir.resolve("data").toString();
        QueueToolsEndToEndTest.send(node, "ok@corp.example", "delivered one");
        String bounced = QueueToolsEndToEndTest.send(node, "nobody@corp.example", "bounced one");
        String later = QueueToolsEndToEndTest.send(node, "later@slow.example", "deferred one");
        String hold = QueueToolsEndToEndTest.send(node, "hold@slow.example", "held from the page");
        String kept = QueueToolsEndToEndTest.send(node, "kept@slow.example", "held before");
        String far = QueueToolsEndToEndTest.send(node, "far@other.example", "deferred elsewhere");
        Await.until(() -> QueueToolsEndToEndTest.state(data, kept).equals("deferred"), WAIT, "the message to hold deferred");
        assertTrue(Cli.ok("hold", "--data-dir", data, kept).startsWith("1 message held"));
        // Only these four stay queued: the bounce notice to a@client.test is delivered meanwhile.
        Await.until(() -> {
          JsonNode q = mailq(data);
          return q.get("count").asInt() == 4 && expectedStates(q).equals(Map.of("queued", 0, "deferred", 3, "held", 1));
        }, WAIT, "three deferred and one held message");

        String admin = "http://" + QueueToolsEndToEndTest.address(data);
        HttpResponse<String> page = get(admin + "/dashboard");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        assertFalse(page.body().matches("(?s).*(src|href)=\"(https?:)?//.*"), "the page loads nothing from elsewhere");

        ChromeDriver browser = browser();
        try {
          browser.get(admin + "/");
          WebDriverWait wait = new WebDriverWait(browser, WAIT);
          wait.until(d -> d.findElement(By.id("count-total")).getDomAttribute("data-loaded") != null);
          assertTrue(browser.getCurrentUrl().endsWith("/dashboard"), browser.getCurrentUrl());

          JsonNode queue = mailq(data);
          assertShowsTheQueue(browser, queue);
          assertEquals(later, browser.findElement(By.id("oldest-deferred")).getDomAttribute("data-queue-id"),
              "the oldest deferred message is the first one deferred");
          assertEquals(2, expectedDestinations(queue).size(), "mail waits for two destinations");
          assertEquals(JSON.readTree(get(admin + "/dead-letters").body()).get("count").asText(),
              browser.findElement(By.id("dead-letter-count")).getDomAttribute("data-count"));
          // Throughput and latency come from the meters /metrics exports, drawn once two readings exist.
          wait.until(d -> d.findElement(By.id("accepted-total")).getText().equals(
              String.valueOf((long) metric(admin, "mailstream_messages_accepted_total"))));
          wait.until(d -> !d.findElements(By.cssSelector("#throughput polyline")).isEmpty());

          // Hold from the page: the confirmation, a wrong token refused with a message, then the right one.
          select(browser, wait, hold);
          browser.findElement(By.id("hold")).click();
          wait.until(d -> d.findElement(By.id("confirm-box")).isDisplayed());
          assertTrue(browser.findElement(By.id("confirm-text")).getText().contains(hold));
          browser.findElement(By.id("confirm-ok")).click();
          wait.until(d -> d.findElement(By.id("token-input")).isDisplayed());
          browser.findElement(By.id("token-input")).sendKeys("not-the-token");
          browser.findElement(By.id("token-ok")).click();
          wait.until(d -> d.findElement(By.id("token-error")).isDisplayed());
          assertTrue(browser.findElement(By.id("token-error")).getText().contains("refused that token"));
          assertEquals("deferred", QueueToolsEndToEndTest.state(data, hold), "nothing done with a wrong token");
          String token = Files.readString(dir.resolve("data/admin.token")).strip();
          browser.findElement(By.id("token-input")).sendKeys(token);
          browser.findElement(By.id("token-ok")).click();
          wait.until(d -> d.findElement(By.id("notice")).getText().startsWith("1 message held: " + hold));
          assertEquals("held", QueueToolsEndToEndTest.state(data, hold));
          wait.until(d -> d.findElement(By.id("count-held")).getText().equals("2"));
          assertShowsTheQueue(browser, mailq(data));
          Files.createDirectories(Path.of("target"));
          Files.write(Path.of("target/dashboard.png"), browser.getScreenshotAs(OutputType.BYTES));

          // Release from the page: confirmed, and the token is not asked again in this session.
          smartHost.resetScript();
          select(browser, wait, hold);
          browser.findElement(By.id("release")).click();
          wait.until(d -> d.findElement(By.id("confirm-box")).isDisplayed());
          browser.findElement(By.id("confirm-ok")).click();
          wait.until(d -> d.findElement(By.id("notice")).getText().startsWith("1 message released: " + hold));
          assertFalse(browser.findElement(By.id("token-box")).isDisplayed(), "the token is kept for the session");
          Await.until(() -> QueueToolsEndToEndTest.state(data, hold).equals("delivered"), WAIT, "the released message delivered");
          assertEquals(2, smartHost.count("RCPT TO:<hold@slow.example>"), "attempted again once released");
          // The delivery is timed: the next reading of the meters draws its latency.
          wait.until(d -> !d.findElements(By.cssSelector("#latency polyline, #latency circle")).isEmpty());
          wait.until(d -> d.findElement(By.id("count-total")).getText().equals("3"));
          assertShowsTheQueue(browser, mailq(data));
          assertEquals("deferred", QueueToolsEndToEndTest.state(data, far));

          // Replay the bounced message: the confirmation shows the dry run, then the copy is queued.
          browser.findElement(By.id("replay-domain")).sendKeys("corp.example");
          new Select(browser.findElement(By.id("replay-state"))).selectByVisibleText("bounced");
          browser.findElement(By.id("replay")).click();
          wait.until(d -> d.findElement(By.id("confirm-box")).isDisplayed());
          assertTrue(browser.findElement(By.id("confirm-text")).getText().contains(bounced + " to nobody@corp.example"),
              browser.findElement(By.id("confirm-text")).getText());
          browser.findElement(By.id("confirm-ok")).click();
          wait.until(d -> d.findElement(By.id("notice")).getText().startsWith("1 message(s) replayed: " + bounced + " as "));
          String copy = browser.findElement(By.id("notice")).getText().replaceFirst(".* as ", "").strip();
          Await.until(() -> QueueToolsEndToEndTest.state(data, copy).equals("delivered"), WAIT, "the replayed copy delivered");
          Files.write(Path.of("target/dashboard-released.png"), browser.getScreenshotAs(OutputType.BYTES));
        } catch (AssertionError | RuntimeException e) {
          Files.createDirectories(Path.of("target"));
          Files.write(Path.of("target/dashboard-failed.png"), browser.getScreenshotAs(OutputType.BYTES));
          throw e;
        } finally {
          browser.quit();
        }
      }
    }
  }

  /** The page's counts by state and by destination and its total equal those of {@code queue}. */
  private static void assertShowsTheQueue(WebDriver browser, JsonNode queue) {
    assertEquals(queue.get("count").asText(), browser.findElement(By.id("count-total")).getText(), "messages in the queue");
    expectedStates(queue).forEach((state, n) ->
        assertEquals(String.valueOf(n), browser.findElement(By.id("count-" + state)).getText(), state));
    Map<String, String> shown = new TreeMap<>();
    for (WebElement row : browser.findElements(By.cssSelector("#destinations tr[data-destination]"))) {
      shown.put(row.getDomAttribute("data-destination"), row.findElement(By.className("count")).getText());
    }
    Map<String, String> expected = new TreeMap<>();
    expectedDestinations(queue).forEach((d, n) -> expected.put(d, String.valueOf(n)));
    assertEquals(expected, shown, "recipients queued by destination");
  }

  private static Map<String, Integer> expectedStates(JsonNode queue) {
    Map<String, Integer> out = new TreeMap<>(Map.of("queued", 0, "deferred", 0, "held", 0));
    queue.get("messages").forEach(m -> out.merge(m.get("state").asText(), 1, Integer::sum));
    return out;
  }

  private static Map<String, Integer> expectedDestinations(JsonNode queue) {
    Map<String, Integer> out = new TreeMap<>();
    queue.get("messages").forEach(m -> m.get("recipients").forEach(r -> {
      String state = r.get("state").asText();
      if (!state.equals("delivered") && !state.equals("bounced")) {
        out.merge(r.get("destination").isNull() ? "(not routed yet)" : r.get("destination").asText(), 1, Integer::sum);
      }
    }));
    return out;
  }

  /** Ticks a message's box; the table is redrawn every few seconds, so a row may go stale under us. */
  private static void select(WebDriver browser, WebDriverWait wait, String queueId) {
    By box = By.cssSelector("#messages input[data-queue-id='" + queueId + "']");
    wait.ignoring(StaleElementReferenceException.class).until(d -> {
      WebElement e = d.findElement(box);
      if (!e.isSelected()) {
        e.click();
      }
      return d.findElement(box).isSelected();
    });
  }

  private static JsonNode mailq(String data) throws Exception {
    return JSON.readTree(Cli.ok("mailq", "--data-dir", data, "--json"));
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** One series' value in the node's Prometheus scrape. */
  private static double metric(String admin, String series) {
    try {
      for (String line : get(admin + "/metrics").body().split("\n")) {
        if (line.startsWith(series + " ") || line.startsWith(series + "{")) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      throw new AssertionError(series + " is not in /metrics");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Debian's chromium and chromedriver; Selenium is told the driver's path, so its Selenium
   * Manager never looks for (or downloads) one.
   */
  private static ChromeDriver browser() {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // --no-sandbox: the tests run as root here and in CI, where Chromium's sandbox refuses to start.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1400,1500", "--no-first-run", "--disable-extensions", "--disable-background-networking");
    return new ChromeDriver(service, options);
  }

  private static void browserHere() {
    boolean here = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!here && System.getenv("MAILSTREAM_CI") != null) {
      throw new AssertionError("chromium and chromium-driver are missing (apt-get install chromium chromium-driver); "
          + "CI (MAILSTREAM_CI) must run the dashboard test");
    }
    Assumptions.assumeTrue(here, "chromium and chromium-driver are not installed");
  }
}

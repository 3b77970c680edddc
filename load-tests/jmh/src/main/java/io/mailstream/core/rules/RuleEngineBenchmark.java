package io.mailstream.core.rules;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The rule engine's recipient resolution ({@link RuleSet#resolve}, what the router does per
 * recipient) over sendmail-format tables: a mailertable with a catch-all and subdomain entries, a
 * virtusertable, and local domains; plus the same with a mailertable of many entries.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RuleEngineBenchmark {
  /** Extra mailertable entries beyond the fixed ones. */
  @Param({"0", "10000"})
  int extraDomains;

  /** Recipients that take different paths: catch-all, subdomain, exact, virtuser, local. */
  @Param({"u@x.other.example", "u@host.corp.example", "u@corp.example", "User@virt.example", "info@example.com"})
  String recipient;

  private Path dir;
  private RuleSet rules;
  private MailAddress address;

  @Setup
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("mailstream-jmh-rules");
    StringBuilder mailertable = new StringBuilder("""
        .\tesmtp:%1.via.example
        corp.example\trelay:[mail.corp.example]
        .corp.example\trelay:mail.corp.example
        """);
    for (int i = 0; i < extraDomains; i++) {
      mailertable.append("d").append(i).append(".example\tsmtp:[mx").append(i % 16).append(".example]\n");
    }
    Files.writeString(dir.resolve("mailertable"), mailertable);
    Files.writeString(dir.resolve("virtusertable"), """
        info@example.com\tjane
        @virt.example\t%1@corp.example
        """);
    Files.writeString(dir.resolve("mailstream.yaml"), """
        hostname: gw.example.com
        local-domains: [example.com]
        routing:
          mailertable: mailertable
          virtusertable: virtusertable
          virtuser-domains: [virt.example]
        """);
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(dir.resolve("mailstream.yaml"), b);
    rules = RuleSet.load(b.build());
    address = MailAddress.parse(recipient);
  }

  @TearDown
  public void tearDown() throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Benchmark
  public List<Resolved> resolve() {
    return rules.resolve(address, new Trace());
  }

  @Benchmark
  public MailAddress parseAndResolve() throws Exception {
    MailAddress a = MailAddress.parse(recipient);
    rules.resolve(a, new Trace());
    return a;
  }
}

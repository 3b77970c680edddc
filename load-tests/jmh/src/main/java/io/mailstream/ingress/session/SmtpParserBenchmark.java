package io.mailstream.ingress.session;

import io.mailstream.core.config.Limits;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The SMTP command parser on the lines of one relayed message: the verb split ({@link
 * Command#parse}) and the MAIL and RCPT argument checks with their ESMTP parameters, as the session
 * runs them for every transaction.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SmtpParserBenchmark {
  private static final String[] TRANSACTION = {
    "EHLO client.example.org",
    "MAIL FROM:<alice.sender@dmz.example.com> SIZE=4096 BODY=8BITMIME",
    "RCPT TO:<bob.recipient@corp.example.com> NOTIFY=FAILURE ORCPT=rfc822;bob.recipient@corp.example.com",
    "DATA",
    "QUIT",
  };
  private final Limits limits = new Limits(25L * 1024 * 1024, 100, 25, Duration.ofSeconds(30));

  /** The five command lines of one transaction, split into verb and argument. */
  @Benchmark
  public void parseTransactionCommands(Blackhole bh) {
    for (String line : TRANSACTION) {
      bh.consume(Command.parse(line));
    }
  }

  @Benchmark
  public Object checkMailArgument() {
    return MailRequest.check(Command.parse(TRANSACTION[1]).argument(), limits, Extensions.ALL);
  }

  @Benchmark
  public Object checkRcptArgument() {
    return RcptRequest.check(Command.parse(TRANSACTION[2]).argument(), Extensions.ALL, false);
  }
}

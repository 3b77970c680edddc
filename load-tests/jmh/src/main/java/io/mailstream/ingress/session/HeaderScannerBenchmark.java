package io.mailstream.ingress.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The header scan {@code BodyReceiver} runs over every message body as it streams past, on a
 * relayed message's header section (trace fields, a folded DKIM signature, the usual originator
 * and MIME fields; about 2 KiB) and 4 KiB of text, in reads of 1460 octets (one loopback
 * segment's worth), fed the way the receiver feeds it: {@code ByteBuf.forEachByte} while the
 * header section lasts.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HeaderScannerBenchmark {
  private static final String HEADER = String.join("\r\n",
      "Received: from mail-out.example.org (mail-out.example.org [192.0.2.25])",
      "\tby mx.example.com (Mailstream) with ESMTPS id 4QbT7m0Yk2z9rxN",
      "\tfor <bob.recipient@corp.example.com>; Sat, 5 Dec 2026 08:03:53 +0000",
      "Received: from submit.example.org (submit.example.org [192.0.2.26])",
      "\tby mail-out.example.org (Postfix) with ESMTPSA id 8A1B2C3D4E",
      "\tfor <bob.recipient@corp.example.com>; Sat, 5 Dec 2026 08:03:52 +0000 (UTC)",
      "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=s2026;",
      "\th=from:to:subject:date:message-id:mime-version:content-type;",
      "\tbh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;",
      "\tb=dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZSBidXQgaXQgaXMgYXMgbG9uZyBhcyBvbmUgaXMgdXN1YWxs",
      "\t eSBsb25nIGluIGEgaGVhZGVyIHNlY3Rpb24gb2YgYSByZWxheWVkIG1lc3NhZ2UgZnJvbSBhIGxhcmdlIHBy",
      "\t b3ZpZGVyLCB3aGljaCBzaWducyBldmVyeSBtZXNzYWdlIGl0IHNlbmRzIGZyb20gaXRzIGRvbWFpbnMuIFRo",
      "\t aXMgaXMgbm90IGEgcmVhbCBzaWduYXR1cmUgYnV0IGl0IGlzIGFzIGxvbmcgYXMgb25lIGlzIHVzdWFsbHk=",
      "From: Alice Sender <alice.sender@example.org>",
      "To: Bob Recipient <bob.recipient@corp.example.com>",
      "Cc: Carol <carol@corp.example.com>, Dave <dave@corp.example.com>",
      "Subject: Quarterly figures for the relay cluster, as discussed on Thursday",
      "Date: Sat, 5 Dec 2026 08:03:50 +0000",
      "Message-ID: <20261205080350.4QbT7m0Yk2z9rxN@submit.example.org>",
      "In-Reply-To: <20261203170112.8A1B2C3D4E@corp.example.com>",
      "References: <20261203170112.8A1B2C3D4E@corp.example.com>",
      "\t<20261202091544.1F2E3D4C5B@submit.example.org>",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8; format=flowed",
      "Content-Transfer-Encoding: 8bit",
      "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.5.0",
      "X-Spam-Status: No, score=-2.1 required=5.0 tests=BAYES_00,DKIM_SIGNED,DKIM_VALID",
      "",
      "");

  private List<ByteBuf> reads;

  @Setup(Level.Trial)
  public void setUp() {
    StringBuilder body = new StringBuilder(HEADER);
    while (body.length() < HEADER.length() + 4096) {
      body.append("x".repeat(74)).append("\r\n");
    }
    byte[] bytes = body.toString().getBytes(StandardCharsets.US_ASCII);
    reads = new ArrayList<>();
    for (int from = 0; from < bytes.length; from += 1460) {
      reads.add(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + 1460))));
    }
  }

  /**
   * One body's header section: Received hops, the Message-ID and which of Date, From and
   * Message-ID it has; a session over TCP and a local submission run the same scan.
   */
  @Benchmark
  public void scanHeaderSection(Blackhole bh) {
    HeaderScanner headers = new HeaderScanner();
    for (ByteBuf read : reads) {
      if (headers.inHeader()) {
        read.forEachByte(headers::update);
      }
    }
    headers.finish();
    bh.consume(headers.hops());
    bh.consume(headers.messageId());
    bh.consume(headers.originatorFields());
  }
}

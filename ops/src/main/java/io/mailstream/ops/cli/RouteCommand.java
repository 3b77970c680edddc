package io.mailstream.ops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mailstream.core.address.AddressException;
import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.ConfigException;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.rules.MapFileException;
import io.mailstream.core.rules.RuleSet;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mailstream route}: sendmail's address test mode, offline, on a configuration. */
@Command(
    name = "route",
    mixinStandardHelpOptions = true,
    description = {
      "Show where addresses go and how they are rewritten, like sendmail -bt (/parse, /try and /map).",
      "Works offline on the configuration; needs no broker."
    })
public final class RouteCommand implements Callable<Integer> {
  @Mixin ConfigOptions options = new ConfigOptions();

  @Parameters(arity = "0..*", paramLabel = "ADDRESS", description = "addresses to route")
  List<String> addresses = List.of();

  @Option(names = "--map", arity = "2", paramLabel = "NAME KEY",
      description = "look KEY up in the map NAME as its file has it, like sendmail -bt's /map: mailertable,"
          + " virtuser, aliases, access, generics, domaintable or authinfo")
  List<String> map;

  @Option(names = "--mailer", paramLabel = "M", description = "mailer for the rewriting positions (default: the one chosen)")
  String mailer;

  @Option(names = "--explain", description = "list every table entry and rule that fired, in order")
  boolean explain;

  @Option(names = "--json", description = "print one JSON object per address")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (map == null && addresses.isEmpty()) {
      err.println("mailstream: route needs an ADDRESS or --map NAME KEY");
      return 2;
    }
    RuleSet rules;
    MailstreamConfig config;
    try {
      config = options.load();
      rules = RuleSet.load(config);
    } catch (ConfigException | MapFileException e) {
      err.println("mailstream: " + e.getMessage());
      return 2;
    }
    int status = 0;
    if (map != null) {
      MapLookup.Answer answer = MapLookup.lookup(config.routing(), map.get(0), map.get(1));
      out.println(answer.line());
      status = answer.mapKnown() ? 0 : 1;
    }
    ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);
    for (String text : addresses) {
      MailAddress address;
      try {
        address = parse(text);
      } catch (AddressException e) {
        err.println("mailstream: " + text + ": " + e.getMessage());
        status = 1;
        continue;
      }
      AddressReport r = AddressReport.of(rules, address, mailer);
      if (json) {
        out.println(mapper.writeValueAsString(jsonOf(r)));
      } else {
        print(out, r);
      }
    }
    out.flush();
    return status;
  }

  private static MailAddress parse(String text) throws AddressException {
    String t = text.strip();
    if (t.startsWith("<") && t.endsWith(">")) {
      t = t.substring(1, t.length() - 1);
    }
    return t.contains("@") ? MailAddress.parse(t) : new MailAddress(t, null);
  }

  private void print(PrintWriter out, AddressReport r) {
    out.println(r.address());
    if ("error".equals(r.mailerName())) {
      out.println("  mailer error, status " + r.status() + ", text " + r.text());
    } else {
      out.println("  mailer " + r.mailerName() + (r.host() == null ? "" : ", host " + r.host()) + ", user " + r.user());
    }
    if (r.deliveries().size() > 1) {
      r.deliveries().forEach(d -> out.println("  delivers to " + d));
    }
    out.println("  envelope sender    " + r.envelopeSender());
    out.println("  header sender      " + r.headerSender());
    out.println("  envelope recipient " + r.envelopeRecipient());
    out.println("  header recipient   " + r.headerRecipient());
    if (explain) {
      out.println("  explain:");
      r.explain().forEach(step -> out.println("    " + step));
    }
  }

  private Map<String, Object> jsonOf(AddressReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("address", r.address());
    m.put("mailer", r.mailerName());
    m.put("host", r.host());
    m.put("user", r.user());
    if (r.status() != null) {
      m.put("status", r.status());
      m.put("text", r.text());
    }
    m.put("envelopeSender", r.envelopeSender());
    m.put("headerSender", r.headerSender());
    m.put("envelopeRecipient", r.envelopeRecipient());
    m.put("headerRecipient", r.headerRecipient());
    m.put("deliveries", r.deliveries());
    if (explain) {
      m.put("explain", r.explain());
    }
    return m;
  }
}

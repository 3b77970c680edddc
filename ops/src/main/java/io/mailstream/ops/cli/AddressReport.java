package io.mailstream.ops.cli;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.rules.ErrorReply;
import io.mailstream.core.rules.Resolved;
import io.mailstream.core.rules.RuleSet;
import io.mailstream.core.rules.Trace;
import io.mailstream.core.rules.rewrite.Mailer;
import io.mailstream.core.rules.rewrite.Masquerader;
import io.mailstream.core.rules.rewrite.Position;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code sendmail -bt} tells about one address: the delivery triple of {@code /parse} for
 * every destination it resolves to, and the address as rewritten in the four positions of {@code
 * /try} with {@code /tryflags} ES, HS, ER and HR for the chosen mailer.
 *
 * @param mailerName the mailer of the first triple, or {@code error}
 * @param host its host, without port; null for local and error
 * @param user its user: the mailbox for local, the address for SMTP mailers
 * @param status for an error, the enhanced status code; null otherwise
 * @param text for an error, the reply text; null otherwise
 * @param deliveries every triple, when aliases fan the address out
 * @param explain the trace, when asked for
 */
public record AddressReport(
    String address,
    String mailerName,
    String host,
    String user,
    String status,
    String text,
    String envelopeSender,
    String headerSender,
    String envelopeRecipient,
    String headerRecipient,
    List<String> deliveries,
    List<String> explain) {

  /** Routes {@code address} with {@code rules}; {@code mailer} overrides the mailer for /try. */
  public static AddressReport of(RuleSet rules, MailAddress address, String mailer) {
    Trace trace = new Trace();
    List<Resolved> resolved = rules.resolve(address, trace);
    Resolved first = resolved.get(0);
    String mailerName;
    String host = null;
    String user = null;
    String status = null;
    String text = null;
    if (first instanceof Resolved.Deliver d) {
      mailerName = d.destination().mailer();
      host = d.destination().host() == null ? null : (d.destination().mxLookup() ? d.destination().host() : "[" + d.destination().host() + "]");
      user = d.user();
    } else {
      ErrorReply e = ((Resolved.Fail) first).reply();
      mailerName = "error";
      status = e.status().toString();
      text = e.code() + " " + e.text();
    }
    List<String> deliveries = new ArrayList<>();
    for (Resolved r : resolved) {
      if (r instanceof Resolved.Deliver d) {
        deliveries.add(d.destination().key() + " " + d.user());
      } else {
        ErrorReply e = ((Resolved.Fail) r).reply();
        deliveries.add("error " + e.code() + " " + e.status() + " " + e.text());
      }
    }
    String tryMailer = mailer != null ? mailer : mailerName;
    Mailer kind = "local".equals(tryMailer) ? Mailer.LOCAL : Mailer.SMTP;
    Masquerader m = rules.masquerader();
    Trace rewriting = new Trace();
    String es = m.rewrite(address, Position.ENVELOPE_SENDER, kind, rewriting).toString();
    String hs = m.rewrite(address, Position.HEADER_SENDER, kind, rewriting).toString();
    String er = m.rewrite(address, Position.ENVELOPE_RECIPIENT, kind, rewriting).toString();
    String hr = m.rewrite(address, Position.HEADER_RECIPIENT, kind, rewriting).toString();
    List<String> explain = new ArrayList<>(trace.steps());
    explain.addAll(rewriting.steps());
    return new AddressReport(address.toString(), mailerName, host, user, status, text, es, hs, er, hr,
        deliveries, explain);
  }
}

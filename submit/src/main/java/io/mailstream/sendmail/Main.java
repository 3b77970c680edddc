package io.mailstream.sendmail;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code sendmail} command (also {@code mailq} and {@code newaliases}, by the name it is
 * called by): what cron, mail programs, PHP's {@code mail()} and scripts call to send mail. It
 * reads the message and hands it to the node over the node's local submission socket, or keeps it
 * in the spool while the node is down. Exit statuses are sendmail's ({@code <sysexits.h>}).
 *
 * <p>It is a JVM of its own with nothing but these classes on its class path: started by the
 * {@code sendmail} script at the top of the repository, it must be done in a fraction of the time
 * the node's class path would take to load.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    String name = System.getProperty("mailstream.sendmail.name", "sendmail");
    PrintStream out = System.out;
    int status;
    try {
      status = run(name, args, out);
    } catch (CommandFailure e) {
      System.err.println(name + ": " + e.getMessage());
      status = e.status();
    } catch (IOException e) {
      System.err.println(name + ": " + e.getMessage());
      status = Sysexits.EX_IOERR;
    }
    out.flush();
    System.exit(status);
  }

  static int run(String name, String[] args, PrintStream out) throws CommandFailure, IOException {
    Invocation inv = Invocation.parse(name, args);
    Map<String, String> env = System.getenv();
    Node node = Node.find(inv, env);
    Report report = new Report(name, System.err, inv.errors == Invocation.ErrorMode.QUIET);
    PrintStream transcript = inv.verbose ? out : null;
    Spool spool = new Spool(node.spool(), Spool.currentUid());
    Submitter submitter = new Submitter(node, spool, report, transcript);
    String config = inv.config != null ? inv.config : env.get("MAILSTREAM_CONFIG");
    Path home = Path.of(System.getProperty("mailstream.home", "."));
    return switch (inv.mode) {
      case DELIVER -> deliver(inv, node, submitter);
      case SMTP -> SmtpPipe.run(node, System.in, out);
      case VERIFY -> new RouteVerbs(home, node, config).verify(qualified(inv.recipients, node), out);
      case ADDRESS_TEST -> new RouteVerbs(home, node, config).addressTest(System.in, out, report);
      case ALIASES -> new RouteVerbs(home, node, config).aliases(out, report);
      case LIST_QUEUE -> QueueVerbs.list(spool, node, new NodeQueue(node), out, report);
      case RUN_QUEUE -> QueueVerbs.run(submitter, new NodeQueue(node), inv, report, out);
    };
  }

  /** {@code -bm}: read the message, complete it as sendmail does, submit it. */
  private static int deliver(Invocation inv, Node node, Submitter submitter) throws CommandFailure, IOException {
    LocalUser user = LocalUser.current();
    String domain = node.hostname();
    LocalMessage message = LocalMessage.of(MessageInput.read(System.in, inv.dotIsData));
    List<String> recipients;
    if (inv.recipientsFromHeaders) {
      // sendmail 8: with -t, addresses on the command line are not sent to.
      recipients = message.headerRecipients(domain);
      message.removeBcc();
      if (recipients.isEmpty()) {
        throw new CommandFailure(Sysexits.EX_USAGE, "No recipient addresses found in header");
      }
    } else {
      recipients = qualified(inv.recipients, node);
      if (recipients.isEmpty()) {
        throw new CommandFailure(Sysexits.EX_USAGE, "Recipient names must be specified");
      }
    }
    String sender = inv.sender == null ? user.name() + "@" + domain : AddressList.qualify(inv.sender, domain);
    String fullName = inv.fullName != null ? inv.fullName : inv.sender == null ? user.fullName() : null;
    message.complete(sender.isEmpty() ? "MAILER-DAEMON@" + domain : sender, fullName, domain, SystemFacts.now());
    Envelope envelope = new Envelope(sender, recipients, inv.notify, inv.ret, inv.envelopeId, inv.body);
    return submitter.submit(envelope, message.bytes(), user.name(), inv.errors == Invocation.ErrorMode.MAIL);
  }

  private static List<String> qualified(List<String> args, Node node) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      out.addAll(AddressList.parse(a, node.hostname()));
    }
    return out;
  }
}

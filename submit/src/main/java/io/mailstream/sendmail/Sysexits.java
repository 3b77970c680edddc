package io.mailstream.sendmail;

/** sendmail's exit statuses, from {@code <sysexits.h>}: what scripts and mail programs test for. */
final class Sysexits {
  static final int EX_OK = 0;
  /** The command line was wrong: an unknown option, no recipients. */
  static final int EX_USAGE = 64;
  /** The message was refused as it is: its size, its line ends, a sender the node would not take. */
  static final int EX_DATAERR = 65;
  /** A recipient does not exist. */
  static final int EX_NOUSER = 67;
  /** A service is not available: the node refused permanently, or its queue could not be listed or run. */
  static final int EX_UNAVAILABLE = 69;
  /** Something that cannot happen did. */
  static final int EX_SOFTWARE = 70;
  /** The spool could not be written. */
  static final int EX_CANTCREAT = 73;
  /** Reading the message or talking to the node failed midway. */
  static final int EX_IOERR = 74;
  /** Try again later: the node is down (with {@code submit.offline: tempfail}) or said 4xx. */
  static final int EX_TEMPFAIL = 75;
  /** The node refused the user. */
  static final int EX_NOPERM = 77;
  /** The node's files could not be read. */
  static final int EX_CONFIG = 78;

  private Sysexits() {}
}

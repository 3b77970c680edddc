package io.mailstream.ingress.session;

/**
 * The TLS session a client negotiated, as sendmail logs it ({@code version=TLSv1.3
 * cipher=TLS_AES_256_GCM_SHA384 bits=256}) and writes it into the Received header.
 *
 * @param version the protocol, e.g. TLSv1.3
 * @param cipher the cipher suite
 * @param bits the cipher's key length in bits
 */
public record TlsInfo(String version, String cipher, int bits) {
  /** sendmail's Received comment: {@code (version=TLSv1.3 cipher=... bits=256 verify=NO)}. */
  public String receivedComment() {
    return "(version=" + version + " cipher=" + cipher + " bits=" + bits + " verify=NO)";
  }
}

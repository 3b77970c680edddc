package io.mailstream.ops.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The map specifications FEATURE(mailertable) and friends take, as the seeds write them. */
class ImportMapSpecTest {
  @ParameterizedTest(name = "''{0}''")
  @CsvSource(
      nullValues = "-",
      value = {
        // the default: DATABASE_MAP_TYPE MAIL_SETTINGS_DIR`mailertable'
        "'', hash, false, /etc/mail/mailertable",
        "hash /etc/mail/mailertable, hash, false, /etc/mail/mailertable",
        // seed 002: -o makes the map optional; makemap's .db suffix is not the text file
        "hash -o /etc/mail/virtusertable.db, hash, true, /etc/mail/virtusertable",
        // seed 004: dbm keeps .dir and .pag beside the name
        "dbm /etc/mail/mailertable, dbm, false, /etc/mail/mailertable",
        // Red Hat's access_db: flags before the path
        "hash -T<TMPF> -o /etc/mail/access.db, hash, true, /etc/mail/access",
        "btree /etc/mail/mailertable.db, btree, false, /etc/mail/mailertable",
        "cdb /etc/mail/mailertable.cdb, cdb, false, /etc/mail/mailertable",
        // a text map is read as it is, whatever its name
        "text /etc/mail/mailertable.db, text, false, /etc/mail/mailertable.db",
        // not files: FEATURE(mailertable, `LDAP') and other map classes
        "LDAP, ldap, false, -",
        "nis mail.aliases, nis, false, -",
      })
  void parses(String spec, String type, boolean optional, String textFile) {
    MapSpec m = MapSpec.parse(spec, "/etc/mail/mailertable");
    assertEquals(Arrays.asList(type, optional, textFile),
        Arrays.asList(m.type(), m.optional(), m.isFile() ? m.textFile() : null));
  }
}

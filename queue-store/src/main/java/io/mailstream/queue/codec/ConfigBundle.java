package io.mailstream.queue.codec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One configuration version as the cluster shares it on the {@code config} topic: the text of
 * {@code mailstream.yaml} and of every map file it names, so that a node applies exactly what the
 * publishing node validated, whatever its own disk holds. Encoded by {@link #encode} in the
 * format of docs/events.md ("Configuration versions").
 *
 * @param yaml the configuration file's text, or null when the publishing node had none (command
 *     line only)
 * @param files the map files, by their {@code routing.} key ({@code mailertable}, {@code access},
 *     ...), sorted by name
 * @param origin the node that published it, for the log
 * @param publishedAtMillis when it was published
 */
public record ConfigBundle(String yaml, List<MapText> files, String origin, long publishedAtMillis) {
  /** Format byte of a configuration record; its type byte (32) sets it apart from mail events. */
  static final int FORMAT_VERSION = 1;

  static final int TYPE = 32;

  public ConfigBundle {
    files = files.stream().sorted(Comparator.comparing(MapText::name)).toList();
  }

  /**
   * A map file's content under its {@code routing.} key.
   *
   * @param name the key ({@code mailertable}, {@code local-host-names}, ...): a node writes the
   *     content under this name into its configuration directory, so a name read from the topic must
   *     never be a path ({@code ../../etc/cron.d/x}) or empty
   */
  public record MapText(String name, byte[] content) {
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9-]*");

    public MapText {
      Objects.requireNonNull(content, "content");
      if (name == null || !KEY.matcher(name).matches()) {
        throw new IllegalArgumentException("map name is not a routing key: " + name);
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof MapText m && m.name.equals(name) && Arrays.equals(m.content, content);
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
      return name + " (" + content.length + " octets)";
    }
  }

  /**
   * SHA-256 of the content (yaml and files, not origin or time), in hex: two nodes with the same
   * files compute the same hash, so an unchanged reload publishes nothing.
   */
  public String hash() {
    BinaryWriter w = new BinaryWriter();
    w.string(yaml).list(files, (out, f) -> out.string(f.name()).bytes(f.content()));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(w.toByteArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /** The first 12 hex digits of {@link #hash}, as logs and {@code GET /version} show it. */
  public String shortHash() {
    return hash().substring(0, 12);
  }

  public byte[] encode() {
    return new BinaryWriter()
        .writeByte(FORMAT_VERSION)
        .writeByte(TYPE)
        .string(hash())
        .string(origin)
        .varint(publishedAtMillis)
        .string(yaml)
        .list(files, (out, f) -> out.string(f.name()).bytes(f.content()))
        .toByteArray();
  }

  /**
   * Reads a record of the config topic.
   *
   * @throws CodecException for another format version, a truncated record or one whose content
   *     does not match its hash
   */
  public static ConfigBundle decode(byte[] record) {
    BinaryReader r = new BinaryReader(record, 0);
    int version = r.readByte();
    if (version != FORMAT_VERSION) {
      throw new CodecException("unknown configuration format version " + version + " (this Mailstream reads version "
          + FORMAT_VERSION + "); upgrade this node to apply it");
    }
    int type = r.readByte();
    if (type != TYPE) {
      throw new CodecException("not a configuration record: type " + type);
    }
    String hash = r.string();
    String origin = r.string();
    long at = r.varint();
    String yaml = r.string();
    List<MapText> files = CodecException.ifDamaged(() -> r.list(in -> new MapText(in.string(), in.bytes())));
    r.expectEnd();
    ConfigBundle bundle = new ConfigBundle(yaml, files, origin, at);
    if (!bundle.hash().equals(hash)) {
      throw new CodecException("configuration record damaged: content does not match its hash " + hash);
    }
    return bundle;
  }

  /** The yaml as UTF-8 octets, empty when there is none. */
  public byte[] yamlBytes() {
    return yaml == null ? new byte[0] : yaml.getBytes(StandardCharsets.UTF_8);
  }
}
